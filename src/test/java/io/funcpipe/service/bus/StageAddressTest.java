package io.funcpipe.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StageAddressTest {

    @Test
    @DisplayName("metric labels are a closed set: every source session shares one label")
    void boundedMetricLabels() {
        Set<String> labels = IntStream.range(0, 1_000).mapToObj(i -> StageAddress.metricLabel(StageAddress.newSession()))
                .collect(Collectors.toSet());

        assertThat(labels).containsExactly("funcpipe.stage.parse.session");
        assertThat(StageAddress.metricLabel(StageAddress.EMBED)).isEqualTo("funcpipe.stage.embed");
        assertThat(StageAddress.metricLabel(StageAddress.PARSE)).isEqualTo("funcpipe.stage.parse");
        assertThat(StageAddress.metricLabel("funcpipe.elsewhere." + java.util.UUID.randomUUID())).isEqualTo("other");
    }
}
