package io.funcpipe.adapters.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.funcpipe.rag.SyncMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Sync laws over random edit sequences of a real folder (text files added, changed, deleted and
 * renamed; records inserted in the middle of a CSV and a JSONL file without id columns), each
 * edit followed by a sync of the folder into one index: with {@code full}, the index equals a fresh
 * ingest of the final corpus (the same chunk ids, texts and count); with {@code incremental},
 * equal except for the documents that left the corpus.
 */
class SyncProperties {

    private static final List<String> WORDS = List.of("union", "state", "people", "law", "peace", "war", "trade",
            "congress", "nation", "duty", "liberty", "treaty", "revenue", "army", "justice", "time");

    /** One edit of the corpus; the numbers pick files and places modulo what exists. */
    sealed interface Edit permits Add, Change, InsertTop, Delete, Rename, InsertRecord {
    }

    record Add(String text) implements Edit {
    }

    record Change(int pick, String text) implements Edit {
    }

    record InsertTop(int pick, String paragraph) implements Edit {
    }

    record Delete(int pick) implements Edit {
    }

    record Rename(int pick) implements Edit {
    }

    record InsertRecord(boolean csv, int at, String text) implements Edit {
    }

    @Property(tries = 12)
    @Label("full sync after every edit: the index is a fresh ingest of the final corpus")
    void fullSyncEqualsFreshIngest(@ForAll("edits") List<Edit> edits) throws IOException {
        Path work = Files.createTempDirectory("funcpipe-sync-full");
        try {
            Corpus corpus = new Corpus(work.resolve("corpus"));
            Path index = work.resolve("index");
            SyncCorpus.ingest(corpus.root, index, SyncMode.FULL);
            for (Edit edit : edits) {
                corpus.apply(edit);
                SyncCorpus.ingest(corpus.root, index, SyncMode.FULL);
                Map<String, String> fresh = fresh(corpus, work);
                assertThat(SyncCorpus.chunks(index)).as("after %s", edit).isEqualTo(fresh);
                assertThat(SyncCorpus.records(index)).as("records after %s", edit)
                        .containsExactlyElementsOf(docIds(fresh));
            }
        } finally {
            SyncCorpus.deleteTree(work);
        }
    }

    @Property(tries = 12)
    @Label("incremental sync after every edit: a fresh ingest, plus the documents that left the corpus")
    void incrementalSyncKeepsOnlyDeletedDocuments(@ForAll("edits") List<Edit> edits) throws IOException {
        Path work = Files.createTempDirectory("funcpipe-sync-incr");
        try {
            Corpus corpus = new Corpus(work.resolve("corpus"));
            Path index = work.resolve("index");
            SyncCorpus.ingest(corpus.root, index, SyncMode.INCREMENTAL);
            Set<String> everSeen = new HashSet<>(docIds(fresh(corpus, work)));
            for (Edit edit : edits) {
                corpus.apply(edit);
                SyncCorpus.ingest(corpus.root, index, SyncMode.INCREMENTAL);
                Map<String, String> fresh = fresh(corpus, work);
                Set<String> current = new HashSet<>(docIds(fresh));
                everSeen.addAll(current);
                Map<String, String> indexed = SyncCorpus.chunks(index);
                Map<String, String> ofCurrent = indexed.entrySet().stream()
                        .filter(e -> current.contains(docId(e.getValue())))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
                assertThat(ofCurrent).as("the current documents after %s", edit).isEqualTo(fresh);
                assertThat(indexed.values().stream().map(SyncProperties::docId).filter(id -> !current.contains(id)))
                        .as("the other documents after %s are documents that left the corpus", edit)
                        .allSatisfy(id -> assertThat(everSeen).contains(id));
            }
        } finally {
            SyncCorpus.deleteTree(work);
        }
    }

    private static Map<String, String> fresh(Corpus corpus, Path work) throws IOException {
        Path index = work.resolve("fresh");
        SyncCorpus.deleteTree(index);
        SyncCorpus.ingest(corpus.root, index, SyncMode.FULL);
        Map<String, String> chunks = SyncCorpus.chunks(index);
        SyncCorpus.deleteTree(index);
        return chunks;
    }

    private static List<String> docIds(Map<String, String> chunks) {
        return chunks.values().stream().map(SyncProperties::docId).distinct().sorted().toList();
    }

    private static String docId(String docAndText) {
        return docAndText.substring(0, docAndText.indexOf('|'));
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Edit> edit = Arbitraries.oneOf(
                text(2, 5).map(t -> (Edit) new Add(t)),
                Combinators.combine(Arbitraries.integers().between(0, 99), text(1, 5)).as((p, t) -> (Edit) new Change(p, t)),
                Combinators.combine(Arbitraries.integers().between(0, 99), sentence()).as((p, t) -> (Edit) new InsertTop(p, t)),
                Arbitraries.integers().between(0, 99).map(p -> (Edit) new Delete(p)),
                Arbitraries.integers().between(0, 99).map(p -> (Edit) new Rename(p)),
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 99), sentence())
                        .as((c, at, t) -> (Edit) new InsertRecord(c, at, t)));
        return edit.list().ofMinSize(1).ofMaxSize(5);
    }

    private static Arbitrary<String> sentence() {
        return Arbitraries.of(WORDS).list().ofMinSize(3).ofMaxSize(14)
                .map(words -> capitalized(String.join(" ", words)) + ".");
    }

    /** Paragraphs of a few sentences; short words repeat, so chunks are sometimes equal across documents. */
    private static Arbitrary<String> text(int minParagraphs, int maxParagraphs) {
        return sentence().list().ofMinSize(1).ofMaxSize(3).map(s -> String.join(" ", s))
                .list().ofMinSize(minParagraphs).ofMaxSize(maxParagraphs).map(p -> String.join("\n\n", p));
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The corpus on disk: text files, one CSV and one JSONL file without id columns. */
    private static final class Corpus {
        final Path root;
        private int nextName;
        private final List<String> csv = new ArrayList<>(List.of("The treaty of peace.", "Revenue and trade."));
        private final List<String> jsonl = new ArrayList<>(List.of("The army of the union.", "Justice in time."));

        Corpus(Path root) throws IOException {
            this.root = root;
            Files.createDirectories(root.resolve("sub"));
            Files.writeString(root.resolve("a.txt"), "The state of the union.\n\nPeace and trade with every nation.");
            Files.writeString(root.resolve("sub/b.md"), "Congress and the people.\n\nLiberty under law. Duty in war.");
            writeRecords();
        }

        void apply(Edit edit) throws IOException {
            List<Path> files = textFiles();
            switch (edit) {
                case Add(String text) -> Files.writeString(root.resolve((nextName++ % 2 == 0 ? "" : "sub/")
                        + "n" + nextName + ".txt"), text);
                case Change(int pick, String text) -> {
                    if (!files.isEmpty()) {
                        Files.writeString(files.get(pick % files.size()), text);
                    }
                }
                case InsertTop(int pick, String paragraph) -> {
                    if (!files.isEmpty()) {
                        Path file = files.get(pick % files.size());
                        Files.writeString(file, paragraph + "\n\n" + Files.readString(file));
                    }
                }
                case Delete(int pick) -> {
                    if (!files.isEmpty()) {
                        Files.delete(files.get(pick % files.size()));
                    }
                }
                case Rename(int pick) -> {
                    if (!files.isEmpty()) {
                        Path file = files.get(pick % files.size());
                        Files.move(file, file.resolveSibling("r" + (nextName++) + "-" + file.getFileName()));
                    }
                }
                case InsertRecord(boolean inCsv, int at, String text) -> {
                    List<String> records = inCsv ? csv : jsonl;
                    if (!records.contains(text)) { // an identical record is the same document: read twice, an error
                        records.add(at % (records.size() + 1), text);
                        writeRecords();
                    }
                }
            }
        }

        private List<Path> textFiles() throws IOException {
            try (var walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".md")).sorted().toList();
            }
        }

        private void writeRecords() throws IOException {
            StringBuilder c = new StringBuilder("text\n");
            csv.forEach(t -> c.append('"').append(t).append("\"\n"));
            Files.writeString(root.resolve("records.csv"), c);
            StringBuilder j = new StringBuilder();
            jsonl.forEach(t -> j.append("{\"text\": \"").append(t).append("\"}\n"));
            Files.writeString(root.resolve("sub/records.jsonl"), j);
        }
    }
}
