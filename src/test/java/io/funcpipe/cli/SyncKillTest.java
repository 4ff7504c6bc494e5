package io.funcpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of an incremental sync, in a forked JVM running the real {@code ingest}:
 * every document of the corpus changed (a paragraph inserted at its top, so every chunk id
 * changes), the child commits every few chunks and is killed once its progress shows chunks
 * indexed. The index must then hold, for each document, exactly its old chunks or exactly its new
 * ones (with the matching record), never a mix and never none; the same command run again ends
 * with the index a fresh ingest of the new corpus gives.
 */
class SyncKillTest {

    private static final Pattern PROGRESS = Pattern.compile(", (\\d+) chunks, ");
    private static final Path SPEECHES = Path.of("/work/shared/data/sotu");
    private static final int MOST_FILES = 40;

    @TempDir
    Path tmp;

    @Test
    @DisplayName("kill -9 during a sync leaves every document whole: its old version or its new one")
    void killedSyncLeavesWholeDocuments() throws Exception {
        Path corpus = tmp.resolve("corpus");
        Files.createDirectories(corpus);
        int files;
        try (Stream<Path> speeches = Files.list(fixtureCorpus())) {
            List<Path> picked = speeches.sorted().limit(MOST_FILES).toList();
            for (Path f : picked) {
                Files.copy(f, corpus.resolve(f.getFileName()));
            }
            files = picked.size();
        }
        final int count = files;
        Path index = tmp.resolve("index");
        assertThat(ingest(corpus, index, false).waitFor(300, TimeUnit.SECONDS)).isTrue();
        Map<String, Set<String>> before = chunksByDoc(index);
        assertThat(before).hasSize(count);

        try (Stream<Path> written = Files.list(corpus)) {
            for (Path f : written.toList()) {
                Files.writeString(f, "A paragraph inserted at the top of " + f.getFileName() + ".\n\n" + Files.readString(f));
            }
        }
        Path fresh = tmp.resolve("fresh");
        assertThat(ingest(corpus, fresh, false).waitFor(300, TimeUnit.SECONDS)).isTrue();
        Map<String, Set<String>> after = chunksByDoc(fresh);
        assertThat(after).hasSize(count);

        Process child = ingest(corpus, index, true);
        long seen = waitForChunks(child, Math.min(200, before.values().stream().mapToLong(Set::size).sum() / 3));
        int kill = new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
        assertThat(kill).isZero();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed after %d chunks, not finished", seen).isNotZero();

        Map<String, Set<String>> killed = chunksByDoc(index);
        Map<String, Set<String>> records = recordsByDoc(index);
        int updated = 0;
        for (String doc : before.keySet()) {
            Set<String> now = killed.get(doc);
            assertThat(now).as("document %s after the kill", doc).isIn(before.get(doc), after.get(doc));
            assertThat(records.get(doc)).as("the record of %s names its chunks", doc).isEqualTo(now);
            updated += now.equals(after.get(doc)) ? 1 : 0;
        }
        assertThat(killed.keySet()).isEqualTo(before.keySet());

        Process again = ingest(corpus, index, false);
        assertThat(again.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isZero();
        assertThat(chunksByDoc(index)).as("continued after %d documents were updated before the kill", updated)
                .isEqualTo(after);
    }

    private static Path fixtureCorpus() {
        return Files.isDirectory(SPEECHES) ? SPEECHES : Path.of("samples", "sotu");
    }

    /** The real command line in a child JVM: an incremental sync that commits every 20 chunks. */
    private static Process ingest(Path corpus, Path index, boolean watch) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Dfuncpipe.tty=false",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "ingest", corpus.toString(),
                "--index", index.toString(), "--embedder", "hash", "--commit-every", "20", "--embed-batch", "4"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return (watch ? builder : builder.redirectError(ProcessBuilder.Redirect.DISCARD)).start();
    }

    /** Reads the child's progress until it shows at least {@code chunks} chunks indexed; the count seen. */
    private static long waitForChunks(Process child, long chunks) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder all = new StringBuilder();
        int c;
        StringBuilder line = new StringBuilder();
        while ((c = err.read()) != -1) {
            if (c == '\n' || c == '\r') {
                Matcher m = PROGRESS.matcher(line);
                if (m.find() && Long.parseLong(m.group(1)) >= chunks) {
                    Thread drain = new Thread(() -> {
                        try {
                            err.transferTo(java.io.Writer.nullWriter());
                        } catch (IOException e) {
                            // the child is gone
                        }
                    });
                    drain.setDaemon(true);
                    drain.start();
                    return Long.parseLong(m.group(1));
                }
                all.append(line).append('\n');
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        throw new AssertionError("the child ended before it showed " + chunks + " chunks; stderr:\n" + all);
    }

    /** The committed chunks of each document: docId -> chunk ids. */
    private static Map<String, Set<String>> chunksByDoc(Path index) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        forEachLive(index, doc -> {
            if (doc.get("id") != null) {
                out.computeIfAbsent(doc.get("docId"), k -> new TreeSet<>()).add(doc.get("id"));
            }
        });
        return out;
    }

    /** The chunk ids each committed document record names. */
    private static Map<String, Set<String>> recordsByDoc(Path index) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        forEachLive(index, doc -> {
            if (doc.get("record.root") != null) {
                Set<String> ids = new TreeSet<>();
                for (IndexableField f : doc.getFields("record.chunkId")) {
                    ids.add(f.stringValue());
                }
                out.put(doc.get("docId"), ids);
            }
        });
        return out;
    }

    private static void forEachLive(Path index, java.util.function.Consumer<Document> action) throws IOException {
        try (FSDirectory dir = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(dir)) {
            Bits live = MultiBits.getLiveDocs(reader);
            StoredFields stored = reader.storedFields();
            for (int i = 0; i < reader.maxDoc(); i++) {
                if (live == null || live.get(i)) {
                    action.accept(stored.document(i));
                }
            }
        }
    }
}
