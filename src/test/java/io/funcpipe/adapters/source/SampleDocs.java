package io.funcpipe.adapters.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes {@code samples/docs}: public-domain texts (United States government works, from
 * {@code samples/sotu}, and the Gettysburg Address) as a PDF, an HTML page, a Word file, an RTF
 * file and an e-mail, so the Tika path has real documents to ingest. Run from the repository root:
 * <pre>{@code
 * mvn -q test-compile && java -cp target/test-classes:target/classes:$(cat cp.txt) io.funcpipe.adapters.source.SampleDocs
 * }</pre>
 * (with {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt} first). The output is
 * committed; this class only says how it was made.
 */
public final class SampleDocs {

    private static final Path SOTU = Path.of("samples", "sotu");

    private SampleDocs() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "samples/docs"));
        List<String> washington = paragraphs(Files.readString(SOTU.resolve("1790_george_washington_n.txt")), 4);
        Documents.pdf(out.resolve("washington-1790.pdf"), "First Annual Message to Congress", "George Washington",
                pages(washington, 90, 38));
        List<String> lincoln = paragraphs(Files.readString(SOTU.resolve("1862_abraham_lincoln_r.txt")), 5);
        Documents.html(out.resolve("lincoln-1862.html"), "Annual Message to Congress, 1862", "Abraham Lincoln",
                "<h1>Annual Message to Congress, December 1, 1862</h1>\n"
                        + lincoln.subList(0, 12).stream().map(p -> "<p>" + p + "</p>").collect(Collectors.joining("\n")));
        List<String> roosevelt = paragraphs(Files.readString(SOTU.resolve("1941_franklin_d_roosevelt_d.txt")), 5);
        Documents.docx(out.resolve("roosevelt-1941.docx"), "The Four Freedoms", "Franklin D. Roosevelt", roosevelt);
        List<String> bush = paragraphs(Files.readString(SOTU.resolve("2002_george_w_bush_r.txt")), 5);
        Files.writeString(out.resolve("bush-2002.rtf"), "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}"
                + "{\\info{\\title State of the Union Address, 2002}{\\author George W. Bush}}\n"
                + bush.subList(0, 10).stream().map(p -> "{\\pard " + p.replace("\\", "\\\\").replace("{", "\\{")
                        .replace("}", "\\}") + "\\par}").collect(Collectors.joining("\n")) + "\n}\n");
        Files.writeString(out.resolve("gettysburg.eml"), """
                From: Abraham Lincoln <president@example.org>
                To: The People <people@example.org>
                Subject: Address at the dedication of the Soldiers' National Cemetery, Gettysburg
                Date: Thu, 19 Nov 1863 15:00:00 -0500
                Message-ID: <gettysburg-1863@example.org>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=us-ascii

                Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived in
                Liberty, and dedicated to the proposition that all men are created equal.

                Now we are engaged in a great civil war, testing whether that nation, or any nation so conceived and so
                dedicated, can long endure. We are met on a great battle-field of that war. We have come to dedicate a
                portion of that field, as a final resting place for those who here gave their lives that that nation
                might live. It is altogether fitting and proper that we should do this.

                But, in a larger sense, we can not dedicate -- we can not consecrate -- we can not hallow -- this ground.
                The brave men, living and dead, who struggled here, have consecrated it, far above our poor power to add
                or detract. The world will little note, nor long remember what we say here, but it can never forget what
                they did here. It is for us the living, rather, to be dedicated here to the unfinished work which they
                who fought here have thus far so nobly advanced. It is rather for us to be here dedicated to the great
                task remaining before us -- that from these honored dead we take increased devotion to that cause for
                which they gave the last full measure of devotion -- that we here highly resolve that these dead shall
                not have died in vain -- that this nation, under God, shall have a new birth of freedom -- and that
                government of the people, by the people, for the people, shall not perish from the earth.
                """.replace("\n", "\r\n"));
    }

    /** The text's sentences, {@code per} to a paragraph. */
    static List<String> paragraphs(String text, int per) {
        String[] sentences = text.strip().split("(?<=[.?!])\\s+");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sentences.length; i += per) {
            out.add(String.join(" ", List.of(sentences).subList(i, Math.min(sentences.length, i + per))));
        }
        return out;
    }

    /** Paragraphs wrapped at {@code width} characters, {@code height} lines to a page, a blank line between paragraphs. */
    static List<List<String>> pages(List<String> paragraphs, int width, int height) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : paragraphs) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split("\\s+")) {
                if (line.length() + word.length() + 1 > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                line.append(line.length() == 0 ? "" : " ").append(word);
            }
            lines.add(line.toString());
            lines.add("");
        }
        List<List<String>> pages = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += height) {
            pages.add(lines.subList(i, Math.min(lines.size(), i + height)));
        }
        return pages;
    }
}
