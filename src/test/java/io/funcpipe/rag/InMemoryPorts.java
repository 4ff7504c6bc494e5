package io.funcpipe.rag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;

/** Ports held in memory, for testing the pure pipeline description. */
final class InMemoryPorts {

    private InMemoryPorts() {
    }

    /** Cleans by trimming; a document with no text left is EMPTY_DOCUMENT. */
    static Result<CleanDoc> clean(RawDoc doc) {
        String text = doc.text().strip();
        return text.isEmpty()
                ? Result.err(ErrInfo.of(ErrCode.EMPTY_DOCUMENT, "document is empty"))
                : Result.ok(new CleanDoc(doc.id(), doc.location(), text, doc.metadata()));
    }

    /** One chunk per sentence (split at '.'). */
    static Result<List<Chunk>> sentences(CleanDoc doc) {
        List<Chunk> chunks = new ArrayList<>();
        String[] sentences = doc.text().split("\\.");
        for (int i = 0; i < sentences.length; i++) {
            String s = sentences[i].strip();
            if (!s.isEmpty()) {
                chunks.add(new Chunk(doc.id() + "#" + i, doc.id(), doc.location(), i, s, s.split(" ").length, doc.metadata()));
            }
        }
        return Result.ok(chunks);
    }

    static DocSource source(List<Result<RawDoc>> docs) {
        return new DocSource() {
            @Override
            public String describe() {
                return "memory";
            }

            @Override
            public long totalBytes() {
                return -1;
            }

            @Override
            public AsyncGen<RawDoc> docs() {
                return AsyncGen.fromResults(docs);
            }
        };
    }

    static RawDoc doc(String id, String text) {
        return new RawDoc(id, id + ":1", text, Map.of(), text.length(), 0);
    }

    /** Embeds by letter counts; fails any batch holding a text that contains "poison". */
    static final class LetterEmbedder implements Embedder {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "letters";
        }

        @Override
        public int dimensions() {
            return 26;
        }

        @Override
        public int parallelism() {
            return 2;
        }

        @Override
        public AsyncPlan<List<float[]>> embed(List<String> texts) {
            return AsyncPlan.defer(() -> {
                calls.incrementAndGet();
                if (texts.stream().anyMatch(t -> t.contains("poison"))) {
                    return io.smallrye.mutiny.Uni.createFrom().item(
                            Result.err(ErrInfo.of(ErrCode.EMBED_FAILED, "model refused")));
                }
                return io.smallrye.mutiny.Uni.createFrom().item(Result.ok(texts.stream().map(LetterEmbedder::vector).toList()));
            });
        }

        static float[] vector(String text) {
            float[] v = new float[26];
            for (char c : text.toLowerCase().toCharArray()) {
                if (c >= 'a' && c <= 'z') {
                    v[c - 'a']++;
                }
            }
            double norm = 0;
            for (float f : v) {
                norm += f * f;
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / Math.max(Math.sqrt(norm), 1e-9));
            }
            return v;
        }
    }

    /** A map from chunk id to embedded chunk; counts commits. */
    static class MapIndex implements VectorIndex {
        final Map<String, EmbeddedChunk> chunks = new ConcurrentHashMap<>();
        final AtomicInteger commits = new AtomicInteger();
        final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
        final Map<String, DocumentRecord> records = new ConcurrentHashMap<>();
        volatile boolean closed;

        /** A copy of what this index holds now (chunks, records, checkpoints). */
        synchronized MapIndex copy() {
            MapIndex copy = new MapIndex();
            copy.chunks.putAll(chunks);
            copy.checkpoints.putAll(checkpoints);
            copy.records.putAll(records);
            return copy;
        }

        @Override
        public synchronized AsyncPlan<Integer> write(List<DocumentWrite> docs, boolean replace) {
            return AsyncPlan.defer(() -> {
                int n = 0;
                synchronized (this) {
                    for (DocumentWrite doc : docs) {
                        if (replace) {
                            chunks.values().removeIf(c -> c.chunk().docId().equals(doc.record().id()));
                        }
                        doc.chunks().forEach(c -> chunks.put(c.chunk().id(), c));
                        records.put(doc.record().id(), doc.record());
                        n += doc.chunks().size();
                    }
                }
                return io.smallrye.mutiny.Uni.createFrom().item(Result.ok(n));
            });
        }

        @Override
        public AsyncPlan<Map<String, DocumentRecord>> documents(java.util.Collection<String> ids) {
            return AsyncPlan.defer(() -> {
                Map<String, DocumentRecord> found = new java.util.HashMap<>();
                ids.forEach(id -> {
                    DocumentRecord r = records.get(id);
                    if (r != null) {
                        found.put(id, r);
                    }
                });
                return io.smallrye.mutiny.Uni.createFrom().item(Result.ok(found));
            });
        }

        @Override
        public AsyncPlan<Map<String, float[]>> vectors(java.util.Collection<String> textHashes) {
            return AsyncPlan.defer(() -> {
                java.util.Set<String> wanted = new java.util.HashSet<>(textHashes);
                Map<String, float[]> found = new java.util.HashMap<>();
                for (EmbeddedChunk c : chunks.values()) {
                    String h = ContentHash.ofText(c.chunk().text());
                    if (wanted.contains(h)) {
                        found.put(h, c.vector());
                    }
                }
                return io.smallrye.mutiny.Uni.createFrom().item(Result.ok(found));
            });
        }

        @Override
        public AsyncPlan<Deletion> delete(java.util.Collection<String> ids) {
            return AsyncPlan.defer(() -> {
                long docs = 0;
                long removed = 0;
                synchronized (this) {
                    for (String id : new java.util.LinkedHashSet<>(ids)) {
                        int before = chunks.size();
                        chunks.values().removeIf(c -> c.chunk().docId().equals(id));
                        boolean had = records.remove(id) != null || before != chunks.size();
                        docs += had ? 1 : 0;
                        removed += before - chunks.size();
                    }
                }
                return io.smallrye.mutiny.Uni.createFrom().item(Result.ok(new Deletion(docs, removed)));
            });
        }

        @Override
        public AsyncPlan<Deletion> deleteUnseen(java.util.Collection<String> roots, java.util.Set<String> seen) {
            return AsyncPlan.defer(() -> delete(records.values().stream()
                    .filter(r -> roots.contains(r.root()) && !seen.contains(r.id())).map(DocumentRecord::id).toList()).open());
        }

        @Override
        public AsyncPlan<Integer> upsert(List<EmbeddedChunk> batch) {
            return AsyncPlan.defer(() -> {
                batch.forEach(c -> chunks.put(c.chunk().id(), c));
                return io.smallrye.mutiny.Uni.createFrom().item(Result.ok(batch.size()));
            });
        }

        @Override
        public AsyncPlan<Long> commit(Checkpoint checkpoint) {
            return AsyncPlan.defer(() -> {
                commits.incrementAndGet();
                checkpoints.put(checkpoint.key(), checkpoint);
                return io.smallrye.mutiny.Uni.createFrom().item(Result.ok((long) chunks.size()));
            });
        }

        @Override
        public AsyncPlan<java.util.Optional<Checkpoint>> checkpoint(String key) {
            return AsyncPlan.of(java.util.Optional.ofNullable(checkpoints.get(key)));
        }

        @Override
        public AsyncPlan<List<SearchHit>> search(float[] vector, int k) {
            return AsyncPlan.defer(() -> {
                List<SearchHit> hits = new ArrayList<>();
                for (EmbeddedChunk c : chunks.values()) {
                    float dot = 0;
                    for (int i = 0; i < vector.length; i++) {
                        dot += vector[i] * c.vector()[i];
                    }
                    hits.add(new SearchHit(c.chunk().id(), c.chunk().docId(), c.chunk().location(), dot,
                            c.chunk().text(), c.chunk().metadata()));
                }
                hits.sort(Comparator.comparingDouble(SearchHit::score).reversed());
                return io.smallrye.mutiny.Uni.createFrom().item(Result.ok(hits.subList(0, Math.min(k, hits.size()))));
            });
        }

        @Override
        public long count() {
            return chunks.size();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
