package io.funcpipe.adapters.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.funcpipe.core.ErrCode;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.StageCount;
import io.funcpipe.rag.SyncCounts;

@DisplayName("ReportJson")
class ReportJsonTest {

    @Test
    @DisplayName("writes every report field, the per-stage counts, the error codes, the index and the errors log")
    void writesEveryField() throws Exception {
        IngestReport report = new IngestReport(3, 1, 10, 2, 1.5, 1234, 567, 0, 4, "hash",
                Map.of("parse", new StageCount(3, 2, 1), "embed", new StageCount(12, 10, 2)),
                Map.of(ErrCode.MALFORMED_RECORD, 1L, ErrCode.EMBED_FAILED, 2L),
                new SyncCounts(1, 2, 3, 4, 5, 6, 7));

        JsonNode json = new ObjectMapper().readTree(ReportJson.write(report, "/idx/docs", "/idx/docs/errors.jsonl"));

        assertThat(json.get("documentsRead").asLong()).isEqualTo(3);
        assertThat(json.get("documentsFailed").asLong()).isEqualTo(1);
        assertThat(json.get("sync").get("documentsAdded").asLong()).isEqualTo(1);
        assertThat(json.get("sync").get("documentsUpdated").asLong()).isEqualTo(2);
        assertThat(json.get("sync").get("documentsUnchanged").asLong()).isEqualTo(3);
        assertThat(json.get("sync").get("documentsDeleted").asLong()).isEqualTo(4);
        assertThat(json.get("sync").get("chunksEmbedded").asLong()).isEqualTo(5);
        assertThat(json.get("sync").get("chunksReused").asLong()).isEqualTo(6);
        assertThat(json.get("sync").get("chunksDeleted").asLong()).isEqualTo(7);
        assertThat(json.get("chunksIndexed").asLong()).isEqualTo(10);
        assertThat(json.get("chunksFailed").asLong()).isEqualTo(2);
        assertThat(json.get("elapsedSeconds").asDouble()).isEqualTo(1.5);
        assertThat(json.get("bytesRead").asLong()).isEqualTo(1234);
        assertThat(json.get("tokens").asLong()).isEqualTo(567);
        assertThat(json.get("replacedChars").asLong()).isEqualTo(4);
        assertThat(json.get("embedder").asText()).isEqualTo("hash");
        assertThat(json.at("/stages/parse/failed").asLong()).isEqualTo(1);
        assertThat(json.at("/stages/embed/ok").asLong()).isEqualTo(10);
        assertThat(json.at("/errorsByCode/EMBED_FAILED").asLong()).isEqualTo(2);
        assertThat(json.get("index").asText()).isEqualTo("/idx/docs");
        assertThat(json.get("errorsLog").asText()).isEqualTo("/idx/docs/errors.jsonl");
        assertThat(json.has("anyFailed")).as("a derived method is not a field").isFalse();
    }
}
