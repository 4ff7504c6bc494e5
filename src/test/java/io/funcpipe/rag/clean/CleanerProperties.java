package io.funcpipe.rag.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What cleaned text always looks like, whatever went in. */
@Label("Cleaner properties")
class CleanerProperties {

    @Property(tries = 500)
    @Label("clean text is NFKC, has no control characters but \\n and \\t, no blank runs, at most one blank line")
    void shapeOfCleanText(@ForAll("messy") String text) {
        String clean = Cleaner.normalizeText(text);
        assertThat(Normalizer.isNormalized(clean, Normalizer.Form.NFKC)).isTrue();
        assertThat(clean.chars().filter(c -> Character.getType(c) == Character.CONTROL && c != '\n' && c != '\t')).isEmpty();
        assertThat(clean).doesNotContain("  ", "\n\n\n", " \n", "\n ", "\r");
        assertThat(clean).isEqualTo(clean.strip());
    }

    @Property(tries = 500)
    @Label("cleaning twice gives what cleaning once gives")
    void idempotent(@ForAll("messy") String text) {
        String once = Cleaner.normalizeText(text);
        assertThat(Cleaner.normalizeText(once)).isEqualTo(once);
    }

    @Provide
    Arbitrary<String> messy() {
        return Arbitraries.strings()
                .withChars("ab Z.\n\r\t\u0000\u0007\u001B\u007F\u0085\u00A0\u2003\u2028\u2029\uFEFF\u200B\u00AD\uFB01\uFF21é\u0301\u3000")
                .ofMaxLength(60);
    }
}
