package io.funcpipe.rag.clean;

import static java.util.Objects.requireNonNull;

import java.text.Normalizer;
import java.util.Optional;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.CleanDoc;
import io.funcpipe.rag.RawDoc;

/**
 * The clean stage, pure: turns a {@link RawDoc} into a {@link CleanDoc} with
 * <ol>
 *   <li>binary content refused ({@link ErrCode#NOT_TEXT}, see {@link BinaryContent});</li>
 *   <li>Unicode NFKC normalisation (compatibility forms folded: ligatures, full-width letters,
 *       non-breaking spaces), applied again after step 3 when a removed character separated a
 *       combining mark from its letter;</li>
 *   <li>control characters removed (and BOM, zero-width space, soft hyphen, lone surrogates);
 *       {@code \r\n} and {@code \r} become {@code \n};</li>
 *   <li>whitespace collapsed: within a line a run of blanks becomes one space (one tab if the run
 *       holds a tab); lines are trimmed; one line break stays a line break, two or more (a blank
 *       line) become exactly one blank line, the paragraph break; leading and trailing blank lines
 *       are dropped;</li>
 *   <li>a document with nothing left is {@link ErrCode#EMPTY_DOCUMENT}, so it is reported, not
 *       indexed.</li>
 * </ol>
 * Every {@code Err} carries stage {@code clean}, the document id as key, and its location.
 */
public final class Cleaner {

    /** The stage name errors carry. */
    public static final String STAGE = "clean";

    private Cleaner() {
    }

    /** Cleans one document. */
    public static Result<CleanDoc> clean(RawDoc doc) {
        requireNonNull(doc, "doc");
        Optional<String> binary = BinaryContent.why(doc.text());
        if (binary.isPresent()) {
            return err(doc, ErrCode.NOT_TEXT, "looks binary, not text: " + binary.get()
                    + "; leave it out with an exclude glob or convert it to text");
        }
        String text = normalizeText(doc.text());
        if (text.isEmpty()) {
            return err(doc, ErrCode.EMPTY_DOCUMENT, "has no text left after cleaning (empty, or only whitespace and "
                    + "control characters); remove it from the input or check the text column/field");
        }
        return Result.ok(new CleanDoc(doc.id(), doc.location(), text, doc.metadata()));
    }

    /** The clean stage over a stream: every {@code Ok} document cleaned, {@code Err} items passed on. */
    public static AsyncGen<CleanDoc> cleanAll(AsyncGen<RawDoc> docs) {
        requireNonNull(docs, "docs");
        return docs.mapResult(Cleaner::clean);
    }

    /** Steps 2 to 4 on a text: NFKC, control characters out, whitespace collapsed. */
    public static String normalizeText(String text) {
        requireNonNull(text, "text");
        String nfkc = Normalizer.isNormalized(text, Normalizer.Form.NFKC) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        int newlines = 0;
        boolean space = false;
        boolean tab = false;
        for (int i = 0; i < nfkc.length(); ) {
            int c = nfkc.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\r' && i < nfkc.length() && nfkc.charAt(i) == '\n') {
                continue;
            }
            if (isLineBreak(c)) {
                newlines++;
                space = false;
                tab = false;
            } else if (c == '\t') {
                tab = true;
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = true;
            } else if (!isDropped(c)) {
                if (!out.isEmpty()) {
                    if (newlines >= 2) {
                        out.append("\n\n");
                    } else if (newlines == 1) {
                        out.append('\n');
                    } else if (tab) {
                        out.append('\t');
                    } else if (space) {
                        out.append(' ');
                    }
                }
                newlines = 0;
                space = false;
                tab = false;
                out.appendCodePoint(c);
            }
        }
        String cleaned = out.toString();
        // removing a character can bring a combining mark next to its base letter: compose again
        return Normalizer.isNormalized(cleaned, Normalizer.Form.NFKC) ? cleaned
                : Normalizer.normalize(cleaned, Normalizer.Form.NFKC);
    }

    private static boolean isLineBreak(int c) {
        return c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static boolean isDropped(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.SURROGATE
                || c == '\uFEFF' || c == '\u200B' || c == '\u00AD';
    }

    private static <T> Result<T> err(RawDoc doc, ErrCode code, String why) {
        String where = doc.location().isEmpty() ? doc.id() : doc.location();
        return Result.err(ErrInfo.of(code, where + ": document '" + doc.id() + "' " + why)
                .withStage(STAGE).withKey(doc.id()).withLocation(doc.location()));
    }
}
