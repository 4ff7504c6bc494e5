package io.funcpipe.service.bus.protocol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.funcpipe.adapters.source.FieldMapping;
import io.funcpipe.adapters.source.Format;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.UrlPolicy;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.DocumentRecord;
import io.funcpipe.rag.DocumentWrite;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.rag.chunk.ChunkerOptions;

/** The wire form of the domain values the stage messages carry, field by field in declaration order. */
final class RagWire {

    private RagWire() {
    }

    static void rawDoc(WireWriter w, RawDoc d) {
        w.string(d.id()).string(d.location()).string(d.text()).map(d.metadata()).int64(d.bytes()).int32(d.replacedChars());
    }

    static RawDoc rawDoc(WireReader r) {
        return new RawDoc(r.string(), r.string(), r.string(), r.map(), r.int64(), r.int32());
    }

    static void chunk(WireWriter w, Chunk c) {
        w.string(c.id()).string(c.docId()).string(c.location()).int32(c.position()).string(c.text()).int32(c.tokens())
                .map(c.metadata());
    }

    static Chunk chunk(WireReader r) {
        return new Chunk(r.string(), r.string(), r.string(), r.int32(), r.string(), r.int32(), r.map());
    }

    static void embeddedChunk(WireWriter w, EmbeddedChunk e) {
        chunk(w, e.chunk());
        w.floats(e.vector());
    }

    static EmbeddedChunk embeddedChunk(WireReader r) {
        return new EmbeddedChunk(chunk(r), r.floats());
    }

    static void documentRecord(WireWriter w, DocumentRecord d) {
        w.string(d.id()).string(d.root()).string(d.location()).string(d.contentHash()).strings(d.chunkIds())
                .string(d.embedder()).string(d.chunking()).string(d.time().toString());
    }

    static DocumentRecord documentRecord(WireReader r) {
        return new DocumentRecord(r.string(), r.string(), r.string(), r.string(), r.strings(), r.string(), r.string(),
                java.time.Instant.parse(r.string()));
    }

    /**
     * A document to write: its record, its metadata once (its first chunk's, which every chunk of a
     * document holds), then its chunks, each with a flag and, only when its metadata differs from the
     * document's, its own. Read back, the chunks that share the document's metadata share one map.
     */
    static void documentWrite(WireWriter w, DocumentWrite d) {
        documentRecord(w, d.record());
        Map<String, String> shared = d.chunks().getFirst().chunk().metadata();
        w.map(shared);
        w.list(d.chunks(), (out, e) -> {
            Chunk c = e.chunk();
            out.string(c.id()).string(c.docId()).string(c.location()).int32(c.position()).string(c.text())
                    .int32(c.tokens());
            boolean own = !c.metadata().equals(shared);
            out.bool(own);
            if (own) {
                out.map(c.metadata());
            }
            out.floats(e.vector());
        });
    }

    static DocumentWrite documentWrite(WireReader r) {
        DocumentRecord record = documentRecord(r);
        Map<String, String> shared = Map.copyOf(r.map());
        return new DocumentWrite(record, r.list(in -> {
            String id = in.string();
            String docId = in.string();
            String location = in.string();
            int position = in.int32();
            String text = in.string();
            int tokens = in.int32();
            Map<String, String> metadata = in.bool() ? in.map() : shared;
            return new EmbeddedChunk(new Chunk(id, docId, location, position, text, tokens, metadata), in.floats());
        }));
    }

    static void chunkerOptions(WireWriter w, ChunkerOptions o) {
        w.int32(o.maxTokens()).int32(o.overlapTokens());
    }

    static ChunkerOptions chunkerOptions(WireReader r) {
        return new ChunkerOptions(r.int32(), r.int32());
    }

    static void sourceOptions(WireWriter w, SourceOptions o) {
        w.string(o.format().name()).strings(o.include()).strings(o.exclude());
        fields(w, o.csv());
        fields(w, o.jsonl());
        w.int32(o.maxRecordBytes());
        w.strings(o.roots().stream().map(Path::toString).toList());
        w.int32(o.maxDocumentChars()).int64(o.parseTimeout().toMillis());
        UrlPolicy u = o.urls();
        w.bool(u.restricted()).strings(u.allowHosts()).int64(u.connectTimeout().toMillis())
                .int64(u.readTimeout().toMillis()).int64(u.maxBytes());
        w.int32(o.maxMetadataBytes()).int64(o.maxTotalBytes());
    }

    static SourceOptions sourceOptions(WireReader r) {
        String format = r.string();
        Format parsed;
        try {
            parsed = Format.valueOf(format);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("malformed bus message: unknown source format '" + format + "'");
        }
        return new SourceOptions(parsed, r.strings(), r.strings(), fields(r), fields(r), r.int32(),
                r.strings().stream().map(Path::of).toList(), r.int32(), Duration.ofMillis(r.int64()),
                new UrlPolicy(r.bool(), r.strings(), Duration.ofMillis(r.int64()), Duration.ofMillis(r.int64()),
                        r.int64()), r.int32(), r.int64());
    }

    private static void fields(WireWriter w, FieldMapping f) {
        w.string(f.idField()).string(f.textField()).strings(f.metadataFields());
    }

    private static FieldMapping fields(WireReader r) {
        return new FieldMapping(r.string(), r.string(), r.strings());
    }
}
