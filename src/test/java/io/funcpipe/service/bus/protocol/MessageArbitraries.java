package io.funcpipe.service.bus.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.funcpipe.adapters.source.FieldMapping;
import io.funcpipe.adapters.source.Format;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.DocumentRecord;
import io.funcpipe.rag.DocumentWrite;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.rag.chunk.ChunkerOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators for every message type, with awkward text, extreme numbers, special floats and {@code Err} items. */
final class MessageArbitraries {

    private MessageArbitraries() {
    }

    /**
     * Text as sources produce it: any Unicode scalar values (BMP without lone surrogates, and
     * supplementary characters), including control characters and NUL. A lone surrogate cannot be
     * written as UTF-8 and is left out (see {@link WireWriter}).
     */
    static Arbitrary<String> text() {
        Arbitrary<String> bmp = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF')
                .ofMaxLength(40);
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(20);
        Arbitrary<String> astral = Arbitraries.of("😀", "𝄞", "𠜎", "🇫🇷").list().ofMaxSize(4).map(l -> String.join("", l));
        return Arbitraries.frequencyOf(Tuple.of(3, ascii), Tuple.of(3, bmp), Tuple.of(1, astral),
                Tuple.of(1, Combinators.combine(ascii, astral, bmp).as((a, b, c) -> a + b + c)));
    }

    static Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.maps(text(), text()).ofMaxSize(3);
    }

    static Arbitrary<ErrInfo> errors() {
        return Combinators.combine(Arbitraries.of(ErrCode.class), text(), text(), text(), text(), metadata())
                .as(ErrInfo::new);
    }

    static Arbitrary<Long> longs() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(-1, 1 << 20)),
                Tuple.of(1, Arbitraries.longs()), Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L)));
    }

    static Arbitrary<Integer> ints() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(-1, 1000)),
                Tuple.of(1, Arbitraries.integers()), Tuple.of(1, Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE)));
    }

    static Arbitrary<RawDoc> rawDocs() {
        return Combinators.combine(text(), text(), text(), metadata(), longs(), ints()).as(RawDoc::new);
    }

    static Arbitrary<Chunk> chunks() {
        return Combinators.combine(text(), text(), text(), ints(), text(), ints(), metadata()).as(Chunk::new);
    }

    static Arbitrary<DocumentRecord> documentRecords() {
        return Combinators.combine(text(), text(), text(), text(), text().list().ofMaxSize(3), text(), text(),
                Arbitraries.longs().between(-(1L << 40), 1L << 40)).as((id, root, location, hash, ids, embedder, chunking,
                seconds) -> new DocumentRecord(id, root, location, hash, ids, embedder, chunking,
                Instant.ofEpochSecond(seconds, Math.floorMod(seconds, 1_000_000_000L))));
    }

    /**
     * Documents to write: chunks that all hold one metadata map (as a document's chunks do, sent once
     * for the document), or each its own (any map, often different).
     */
    static Arbitrary<DocumentWrite> documentWrites() {
        Arbitrary<List<EmbeddedChunk>> own = Combinators.combine(chunks(), vectors()).as(EmbeddedChunk::new)
                .list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<List<EmbeddedChunk>> shared = Combinators.combine(own, metadata()).as((list, metadata) -> list.stream()
                .map(e -> new EmbeddedChunk(new Chunk(e.chunk().id(), e.chunk().docId(), e.chunk().location(),
                        e.chunk().position(), e.chunk().text(), e.chunk().tokens(), metadata), e.vector()))
                .toList());
        return Combinators.combine(documentRecords(), Arbitraries.oneOf(own, shared)).as(DocumentWrite::new);
    }

    /** Vectors with ordinary, tiny, huge and special values (NaN, infinities, -0.0). */
    static Arbitrary<float[]> vectors() {
        Arbitrary<Float> value = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.floats().between(-1, 1)),
                Tuple.of(1, Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f,
                        Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE)));
        return value.list().ofMaxSize(24).map(list -> {
            float[] v = new float[list.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = list.get(i);
            }
            return v;
        });
    }

    static <T> Arbitrary<Result<T>> results(Arbitrary<T> values) {
        return Arbitraries.frequencyOf(Tuple.of(3, values.map(Result::ok)), Tuple.of(1, errors().map(Result::err)));
    }

    static Arbitrary<SourceOptions> sourceOptions() {
        Arbitrary<String> nonBlank = text().map(s -> "f" + s);
        Arbitrary<FieldMapping> fields = Combinators.combine(text(), nonBlank, text().list().ofMaxSize(3))
                .as(FieldMapping::new);
        Arbitrary<SourceOptions> base = Combinators.combine(Arbitraries.of(Format.class), text().list().ofMaxSize(3),
                text().list().ofMaxSize(3), fields, fields, Arbitraries.integers().between(1, Integer.MAX_VALUE),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6).list().ofMaxSize(2)
                        .map(names -> names.stream().map(n -> java.nio.file.Path.of("/roots", n)).toList()))
                .as((format, include, exclude, csv, jsonl, maxRecordBytes, roots) -> new SourceOptions(format, include,
                        exclude, csv, jsonl, maxRecordBytes, roots, SourceOptions.DEFAULT_MAX_DOCUMENT_CHARS,
                        SourceOptions.DEFAULT_PARSE_TIMEOUT, io.funcpipe.adapters.source.UrlPolicy.allowing(roots.stream()
                                .map(r -> r.getFileName().toString()).toList()), 1 + maxRecordBytes % 4096, 1L + maxRecordBytes));
        return Combinators.combine(base, Arbitraries.integers().between(1, Integer.MAX_VALUE),
                        Arbitraries.longs().between(1, 1L << 40))
                .as((options, chars, millis) -> options.withMaxDocumentChars(chars)
                        .withParseTimeout(java.time.Duration.ofMillis(millis)));
    }

    static Arbitrary<ChunkerOptions> chunkerOptions() {
        return Combinators.combine(Arbitraries.integers().between(0, 1 << 16), Arbitraries.integers().between(0, 512))
                .as(ChunkerOptions::new);
    }

    static Arbitrary<IndexTarget> targets() {
        return Combinators.combine(text(), text(), ints()).as(IndexTarget::new);
    }

    /** Any message of any type. */
    static Arbitrary<BusMessage> messages() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(text(), text().list().ofMaxSize(4), sourceOptions()).as(OpenSource::new),
                Combinators.combine(text(), longs()).as(SourceOpened::new),
                Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.integers().between(1,
                        Integer.MAX_VALUE)).as(NextDocs::new),
                text().map(CloseSource::new),
                Combinators.combine(longs(), results(rawDocs()).list().ofMaxSize(6), Arbitraries.of(true, false), longs(),
                        longs()).as(DocBatch::new),
                Combinators.combine(rawDocs().list().ofMaxSize(5), chunkerOptions()).as(PrepareDocs::new),
                results(chunks().list().ofMaxSize(3)).list().ofMaxSize(5).map(PreparedDocs::new),
                text().list().ofMaxSize(6).map(EmbedTexts::new),
                Combinators.combine(text(), ints(), vectors().list().ofMaxSize(5)).as(Vectors::new),
                Combinators.combine(targets(), Combinators.combine(chunks(), vectors()).as(EmbeddedChunk::new)
                        .list().ofMaxSize(4)).as(UpsertChunks::new),
                Combinators.combine(targets(), documentWrites().list().ofMaxSize(3), Arbitraries.of(true, false))
                        .as(WriteDocuments::new),
                targets().map(CommitIndex::new),
                longs().map(IndexAck::new),
                errors().map(StageFailure::new)));
    }
}
