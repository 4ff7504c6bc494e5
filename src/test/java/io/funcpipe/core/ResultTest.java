package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Result")
class ResultTest {

    private static final ErrInfo BOOM = ErrInfo.of(ErrCode.IO_ERROR, "boom");

    private static ErrCode codeOf(Result<?> result) {
        assertThat(result).isInstanceOf(Err.class);
        return ((Err<?>) result).error().code();
    }

    @Nested
    @DisplayName("construction")
    class Construction {

        @Test
        @DisplayName("ok rejects a null value eagerly, naming the parameter")
        void okRejectsNull() {
            assertThatThrownBy(() -> Result.ok(null)).isInstanceOf(NullPointerException.class).hasMessage("value");
        }

        @Test
        @DisplayName("err rejects a null error eagerly, naming the parameter")
        void errRejectsNull() {
            assertThatThrownBy(() -> Result.err(null)).isInstanceOf(NullPointerException.class).hasMessage("error");
        }

        @Test
        @DisplayName("isOk tells the two cases apart")
        void isOkTellsCasesApart() {
            assertThat(Result.ok(1).isOk()).isTrue();
            assertThat(Result.err(BOOM).isOk()).isFalse();
        }
    }

    @Nested
    @DisplayName("attempt")
    class Attempt {

        @Test
        @DisplayName("a value becomes Ok")
        void valueBecomesOk() {
            assertThat(Result.attempt(() -> 7)).isEqualTo(Result.ok(7));
        }

        @Test
        @DisplayName("a thrown checked exception becomes EXCEPTION with its class and message")
        void checkedExceptionBecomesErr() {
            Result<Integer> result = Result.attempt(() -> {
                throw new IOException("disk gone");
            });
            assertThat(codeOf(result)).isEqualTo(ErrCode.EXCEPTION);
            ErrInfo error = ((Err<Integer>) result).error();
            assertThat(error.message()).isEqualTo("disk gone");
            assertThat(error.details()).containsEntry("exception", IOException.class.getName());
        }

        @Test
        @DisplayName("a null becomes NULL_RESULT")
        void nullBecomesNullResult() {
            assertThat(codeOf(Result.attempt(() -> null))).isEqualTo(ErrCode.NULL_RESULT);
        }
    }

    @Nested
    @DisplayName("map")
    class Map {

        @Test
        @DisplayName("maps an Ok value")
        void mapsOk() {
            assertThat(Result.ok(2).map(x -> x * 3)).isEqualTo(Result.ok(6));
        }

        @Test
        @DisplayName("passes an Err through without calling the mapper")
        void errPassesWithoutCall() {
            List<Integer> seen = new ArrayList<>();
            Result<Integer> err = Result.err(BOOM);
            assertThat(err.map(x -> { seen.add(x); return x; })).isEqualTo(err);
            assertThat(seen).isEmpty();
        }

        @Test
        @DisplayName("a throwing mapper yields EXCEPTION instead of throwing")
        void throwingMapperYieldsErr() {
            assertThat(codeOf(Result.ok(0).map(x -> 1 / x))).isEqualTo(ErrCode.EXCEPTION);
        }

        @Test
        @DisplayName("a mapper returning null yields NULL_RESULT")
        void nullMapperYieldsErr() {
            assertThat(codeOf(Result.ok(1).map(x -> null))).isEqualTo(ErrCode.NULL_RESULT);
        }

        @Test
        @DisplayName("a null mapper is rejected eagerly")
        void nullMapperRejected() {
            assertThatThrownBy(() -> Result.ok(1).map(null)).hasMessage("mapper");
        }
    }

    @Nested
    @DisplayName("flatMap")
    class FlatMap {

        @Test
        @DisplayName("binds an Ok value to the next result")
        void bindsOk() {
            assertThat(Result.ok(2).flatMap(x -> Result.ok(x + 1))).isEqualTo(Result.ok(3));
            assertThat(Result.ok(2).flatMap(x -> Result.err(BOOM))).isEqualTo(Result.err(BOOM));
        }

        @Test
        @DisplayName("passes an Err through without calling the next step")
        void errPassesWithoutCall() {
            List<Integer> seen = new ArrayList<>();
            assertThat(Result.<Integer>err(BOOM).flatMap(x -> { seen.add(x); return Result.ok(x); }))
                    .isEqualTo(Result.err(BOOM));
            assertThat(seen).isEmpty();
        }

        @Test
        @DisplayName("a throwing or null-returning step yields an Err")
        void badStepYieldsErr() {
            assertThat(codeOf(Result.ok(1).flatMap(x -> { throw new IllegalStateException("no"); })))
                    .isEqualTo(ErrCode.EXCEPTION);
            assertThat(codeOf(Result.ok(1).flatMap(x -> null))).isEqualTo(ErrCode.NULL_RESULT);
        }
    }

    @Nested
    @DisplayName("mapErr and recover")
    class ErrorSide {

        @Test
        @DisplayName("mapErr rewrites an Err and leaves an Ok alone")
        void mapErrRewritesErr() {
            assertThat(Result.err(BOOM).mapErr(e -> e.withStage("parse")))
                    .isEqualTo(Result.err(BOOM.withStage("parse")));
            assertThat(Result.ok(1).mapErr(e -> e.withStage("parse"))).isEqualTo(Result.ok(1));
        }

        @Test
        @DisplayName("a throwing error mapper yields EXCEPTION")
        void throwingMapErrYieldsErr() {
            assertThat(codeOf(Result.err(BOOM).mapErr(e -> { throw new IllegalStateException(); })))
                    .isEqualTo(ErrCode.EXCEPTION);
        }

        @Test
        @DisplayName("recover turns an Err into an Ok computed from the error")
        void recoverTurnsErrIntoOk() {
            assertThat(Result.<String>err(BOOM).recover(ErrInfo::message)).isEqualTo(Result.ok("boom"));
            assertThat(Result.ok("x").recover(ErrInfo::message)).isEqualTo(Result.ok("x"));
        }
    }

    @Nested
    @DisplayName("fold and side effects")
    class FoldAndSideEffects {

        @Test
        @DisplayName("fold chooses the branch of the case")
        void foldChoosesBranch() {
            String ok = Result.ok(4).fold(x -> "ok " + x, e -> "err " + e.code());
            String err = Result.<Integer>err(BOOM).fold(x -> "ok " + x, e -> "err " + e.code());
            assertThat(ok).isEqualTo("ok 4");
            assertThat(err).isEqualTo("err IO_ERROR");
        }

        @Test
        @DisplayName("onOk and onErr run only for their case and return the same result")
        void sideEffectsRunForTheirCase() {
            List<String> seen = new ArrayList<>();
            Result<Integer> ok = Result.ok(1);
            Result<Integer> err = Result.err(BOOM);
            assertThat(ok.onOk(x -> seen.add("ok")).onErr(e -> seen.add("err"))).isSameAs(ok);
            assertThat(err.onOk(x -> seen.add("ok")).onErr(e -> seen.add("err"))).isSameAs(err);
            assertThat(seen).containsExactly("ok", "err");
        }
    }
}
