package io.funcpipe.adapters.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.core.policy.PolicyInterpreter;
import io.funcpipe.core.policy.RetryPolicy;
import io.vertx.core.Vertx;

class OpenAiEmbedderTest {

    private static Vertx vertx;
    private static FakeEmbeddingsServer server;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        server = new FakeEmbeddingsServer(vertx);
    }

    @AfterAll
    static void stop() {
        server.close();
        vertx.close().await();
    }

    @BeforeEach
    void reset() {
        server.requests.set(0);
        server.authorizations.clear();
        server.arrivals.clear();
        server.clearScript();
    }

    private static OpenAiEmbedder embedder(UnaryOperator<AsyncPlan<List<float[]>>> guard) {
        return new OpenAiEmbedder(vertx, OpenAiEmbedder.Settings.of(server.url(), "test-model",
                FakeEmbeddingsServer.DIMS).withApiKey("secret"), guard);
    }

    private static Result<List<float[]>> embed(OpenAiEmbedder embedder, List<String> texts) {
        return embedder.embed(texts).open().await().indefinitely();
    }

    private static ErrInfo error(Result<?> result) {
        assertThat(result).isInstanceOf(Err.class);
        return ((Err<?>) result).error();
    }

    @Nested
    @DisplayName("a 200 answer")
    class Success {

        @Test
        @DisplayName("gives one unit vector per text, in input order, and sends the bearer token")
        void vectorsInInputOrder() {
            try (OpenAiEmbedder embedder = embedder(UnaryOperator.identity())) {
                Result<List<float[]>> result = embed(embedder, List.of("a", "bbb"));
                assertThat(result).isInstanceOf(Ok.class);
                List<float[]> vectors = ((Ok<List<float[]>>) result).value();
                assertThat(vectors).hasSize(2);
                assertThat(vectors.get(0)[3]).isZero();
                assertThat(vectors.get(1)[3]).isPositive();
                for (float[] v : vectors) {
                    double norm = 0;
                    for (float f : v) {
                        norm += f * f;
                    }
                    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                }
                assertThat(server.authorizations).containsExactly("Bearer secret");
                assertThat(embedder.name()).isEqualTo("openai:test-model");
            }
        }
    }

    @Nested
    @DisplayName("an error answer")
    class Errors {

        @Test
        @DisplayName("429 is RATE_LIMITED carrying the server's Retry-After")
        void tooManyRequests() {
            server.answerNext(429);
            try (OpenAiEmbedder embedder = embedder(UnaryOperator.identity())) {
                ErrInfo e = error(embed(embedder, List.of("x")));
                assertThat(e.code()).isEqualTo(ErrCode.RATE_LIMITED);
                assertThat(e.details()).containsEntry("retryAfterMillis", "200");
                assertThat(e.message()).contains("429", "scripted 429");
            }
        }

        @Test
        @DisplayName("5xx is UNAVAILABLE, other 4xx is EMBED_FAILED with the server's message")
        void serverAndClientErrors() {
            server.answerNext(503, 400);
            try (OpenAiEmbedder embedder = embedder(UnaryOperator.identity())) {
                assertThat(error(embed(embedder, List.of("x"))).code()).isEqualTo(ErrCode.UNAVAILABLE);
                ErrInfo bad = error(embed(embedder, List.of("x")));
                assertThat(bad.code()).isEqualTo(ErrCode.EMBED_FAILED);
                assertThat(bad.message()).contains("scripted 400");
            }
        }

        @Test
        @DisplayName("a server that cannot be reached is UNAVAILABLE, naming the endpoint")
        void unreachable() {
            var settings = OpenAiEmbedder.Settings.of("http://127.0.0.1:1", "m", 4);
            try (OpenAiEmbedder embedder = new OpenAiEmbedder(vertx, settings, UnaryOperator.identity())) {
                ErrInfo e = error(embed(embedder, List.of("x")));
                assertThat(e.code()).isEqualTo(ErrCode.UNAVAILABLE);
                assertThat(e.message()).contains("http://127.0.0.1:1/v1/embeddings");
            }
        }
    }

    @Nested
    @DisplayName("under the job's retry policy")
    class UnderRetry {

        private final RetryPolicy retry = RetryPolicy.of(3).withBackOff(Duration.ofMillis(1), Duration.ofMillis(5));

        private OpenAiEmbedder retrying() {
            return embedder(PolicyInterpreter.of(Policies.DEFAULT.withRetry(retry))::call);
        }

        @Test
        @DisplayName("a 429 then a 503 are retried and the third answer's vectors come back")
        void transientAnswersAreRetried() {
            server.answerNext(429, 503);
            try (OpenAiEmbedder embedder = retrying()) {
                Result<List<float[]>> result = embed(embedder, List.of("one", "three"));
                assertThat(result).isInstanceOf(Ok.class);
                assertThat(((Ok<List<float[]>>) result).value()).hasSize(2);
                assertThat(server.requests.get()).isEqualTo(3);
            }
        }

        @Test
        @DisplayName("after a 429 the retry comes no sooner than the server's Retry-After")
        void retryAfterIsHonoured() {
            server.answerNext(429);
            try (OpenAiEmbedder embedder = retrying()) {
                assertThat(embed(embedder, List.of("x"))).isInstanceOf(Ok.class);
            }
            assertThat(server.arrivals).hasSize(2);
            // a lower bound only: a slow machine makes the gap longer, never shorter
            assertThat(server.arrivals.get(1) - server.arrivals.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        }

        @Test
        @DisplayName("a 400 is final: not retried")
        void clientErrorsAreNotRetried() {
            server.answerNext(400, 400, 400);
            try (OpenAiEmbedder embedder = retrying()) {
                assertThat(error(embed(embedder, List.of("x"))).code()).isEqualTo(ErrCode.EMBED_FAILED);
            }
            assertThat(server.requests.get()).isEqualTo(1);
        }

        @Test
        @DisplayName("when every attempt is refused the last error is reported after maxAttempts calls")
        void attemptsAreBounded() {
            server.answerNext(503, 503, 503, 503);
            try (OpenAiEmbedder embedder = retrying()) {
                assertThat(error(embed(embedder, List.of("x"))).code()).isEqualTo(ErrCode.UNAVAILABLE);
            }
            assertThat(server.requests.get()).isEqualTo(3);
        }
    }

    @Test
    @DisplayName("describing a call sends nothing")
    void describingSendsNothing() {
        try (OpenAiEmbedder embedder = embedder(UnaryOperator.identity())) {
            AsyncPlan<List<float[]>> unused = embedder.embed(List.of("x"));
            assertThat(unused).isNotNull();
            assertThat(server.requests.get()).isZero();
        }
    }
}
