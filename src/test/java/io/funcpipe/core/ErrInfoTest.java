package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

@DisplayName("ErrInfo")
class ErrInfoTest {

    @Nested
    @DisplayName("construction")
    class Construction {

        @Test
        @DisplayName("absent stage, key, location and details become empty, never null")
        void absentFieldsBecomeEmpty() {
            ErrInfo error = new ErrInfo(ErrCode.TIMEOUT, "slow", null, null, null, null);
            assertThat(error.stage()).isEmpty();
            assertThat(error.key()).isEmpty();
            assertThat(error.location()).isEmpty();
            assertThat(error.details()).isEmpty();
        }

        @Test
        @DisplayName("code and message are required")
        void codeAndMessageRequired() {
            assertThatThrownBy(() -> ErrInfo.of(null, "m")).hasMessage("code");
            assertThatThrownBy(() -> ErrInfo.of(ErrCode.TIMEOUT, null)).hasMessage("message");
        }

        @Test
        @DisplayName("details are copied: changing the caller's map changes nothing")
        void detailsAreCopied() {
            Map<String, String> details = new HashMap<>(Map.of("attempts", "3"));
            ErrInfo error = new ErrInfo(ErrCode.TIMEOUT, "slow", "", "", "", details);
            details.put("attempts", "4");
            assertThat(error.details()).containsExactly(Map.entry("attempts", "3"));
            assertThatThrownBy(() -> error.details().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        @DisplayName("fromException keeps the message and the exception class, or the class name without a message")
        void fromExceptionKeepsFacts() {
            ErrInfo error = ErrInfo.fromException(ErrCode.IO_ERROR, new IllegalStateException("bad state"));
            assertThat(error.message()).isEqualTo("bad state");
            assertThat(error.details()).containsEntry("exception", IllegalStateException.class.getName());
            assertThat(ErrInfo.fromException(ErrCode.IO_ERROR, new IllegalStateException()).message())
                    .isEqualTo("IllegalStateException");
        }
    }

    @Nested
    @DisplayName("copies")
    class Copies {

        @Test
        @DisplayName("each with-method changes one field and keeps the rest")
        void withMethodsChangeOneField() {
            ErrInfo base = ErrInfo.of(ErrCode.MALFORMED_RECORD, "bad row");
            ErrInfo full = base.withStage("parse").withKey("doc-1").withLocation("data.csv:12")
                    .withDetail("column", "3").withMessage("bad row 12");
            assertThat(full).isEqualTo(new ErrInfo(ErrCode.MALFORMED_RECORD, "bad row 12", "parse", "doc-1",
                    "data.csv:12", Map.of("column", "3")));
            assertThat(base.stage()).isEmpty();
        }

        @Test
        @DisplayName("withDetail replaces an earlier value under the same name")
        void withDetailReplaces() {
            ErrInfo error = ErrInfo.of(ErrCode.TIMEOUT, "slow").withDetail("attempts", "1").withDetail("attempts", "2");
            assertThat(error.details()).containsExactly(Map.entry("attempts", "2"));
        }
    }

    @Nested
    @DisplayName("JSON (Jackson, mapped in the test: core does not depend on Jackson)")
    class Json {

        private final ObjectMapper mapper = new ObjectMapper();

        @Test
        @DisplayName("every field survives a round trip")
        void roundTrip() throws JsonProcessingException {
            for (ErrCode code : ErrCode.values()) {
                ErrInfo error = new ErrInfo(code, "could not parse: \"x\"", "parse", "doc-7", "data.csv:12",
                        Map.of("exception", "java.io.IOException", "attempts", "3"));
                String json = mapper.writeValueAsString(error);
                assertThat(mapper.readValue(json, ErrInfo.class)).isEqualTo(error);
            }
        }

        @Test
        @DisplayName("the JSON has plain named fields a non-JVM client can read")
        void plainFields() throws JsonProcessingException {
            JsonNode node = mapper.readTree(mapper.writeValueAsString(
                    ErrInfo.of(ErrCode.TIMEOUT, "slow").withStage("embed")));
            assertThat(node.get("code").asText()).isEqualTo("TIMEOUT");
            assertThat(node.get("message").asText()).isEqualTo("slow");
            assertThat(node.get("stage").asText()).isEqualTo("embed");
            assertThat(node.get("details").isObject()).isTrue();
        }

        @Test
        @DisplayName("missing optional fields read back as empty")
        void missingFieldsReadAsEmpty() throws JsonProcessingException {
            ErrInfo error = mapper.readValue("{\"code\":\"IO_ERROR\",\"message\":\"gone\"}", ErrInfo.class);
            assertThat(error).isEqualTo(ErrInfo.of(ErrCode.IO_ERROR, "gone"));
        }

        @Test
        @DisplayName("an unknown code is rejected")
        void unknownCodeRejected() {
            assertThatThrownBy(() -> mapper.readValue("{\"code\":\"NOPE\",\"message\":\"m\"}", ErrInfo.class))
                    .isInstanceOf(JsonProcessingException.class);
        }
    }
}
