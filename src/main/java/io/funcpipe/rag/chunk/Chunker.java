package io.funcpipe.rag.chunk;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.CleanDoc;
import io.funcpipe.rag.Tokenizer;

/**
 * Cuts clean documents into chunks the embedding model takes whole, pure and deterministic.
 *
 * <p>Guarantee: every chunk's {@code tokenizer.countTokens(text) <= limit()}, where the limit is
 * {@link ChunkerOptions#maxTokens()} capped at the model window (every chunk is checked once with
 * the tokenizer before it is emitted). Boundaries preferred: paragraph, then sentence, then word,
 * then characters (a giant word or a text without spaces). A chunk's text is a slice of the
 * document's text. Ids are stable ({@code docId#0003-<sha256 prefix>}): re-chunking the same text
 * with the same options gives the same ids. Errors carry stage {@value #STAGE}, the document id
 * as key, and its location.
 */
public final class Chunker {

    /** The stage name errors carry. */
    public static final String STAGE = "chunk";

    private final Tokenizer tokenizer;
    private final int limit;
    private final int special;
    private final int overlap;

    /**
     * @throws IllegalArgumentException when the limit leaves no room for text after the special
     *                                  tokens, or the overlap is more than half of that room
     */
    public Chunker(Tokenizer tokenizer, ChunkerOptions options) {
        this.tokenizer = requireNonNull(tokenizer, "tokenizer");
        requireNonNull(options, "options");
        int window = tokenizer.maxTokens();
        this.limit = options.maxTokens() == 0 ? window : Math.min(options.maxTokens(), window);
        this.special = tokenizer.countTokens("");
        int room = limit - special;
        if (room < 1) {
            throw new IllegalArgumentException("maxTokens " + limit + " leaves no room for text after the tokenizer's "
                    + special + " special tokens; raise maxTokens");
        }
        if (options.overlapTokens() > room / 2) {
            throw new IllegalArgumentException("overlapTokens " + options.overlapTokens() + " is more than half of the "
                    + room + " tokens a chunk holds; lower it to " + room / 2 + " or less");
        }
        this.overlap = options.overlapTokens();
    }

    /** The most tokens a chunk takes, special tokens included. */
    public int limit() {
        return limit;
    }

    /** The chunks of {@code doc}, in order; an empty document is an {@link ErrCode#EMPTY_DOCUMENT}. */
    public Result<List<Chunk>> chunk(CleanDoc doc) {
        requireNonNull(doc, "doc");
        Result<List<Chunk>> chunks = Result.attempt(() -> new ChunkAssembly(doc, tokenizer, limit, special, overlap).run());
        if (chunks instanceof Ok<List<Chunk>>(List<Chunk> list) && list.isEmpty()) {
            chunks = Result.err(ErrInfo.of(ErrCode.EMPTY_DOCUMENT, "has no text to chunk; clean it first"));
        }
        return chunks.mapErr(e -> e.withMessage((doc.location().isEmpty() ? doc.id() : doc.location())
                        + ": chunking document '" + doc.id() + "' failed: " + e.message())
                .withStage(STAGE).withKey(doc.id()).withLocation(doc.location()));
    }

    /** The chunk step over a stream: each {@code Ok} document becomes its chunks; an {@code Err} passes on. */
    public AsyncGen<Chunk> chunkAll(AsyncGen<CleanDoc> docs) {
        requireNonNull(docs, "docs");
        return docs.flatMap(doc -> switch (chunk(doc)) {
            case Ok<List<Chunk>>(List<Chunk> chunks) -> AsyncGen.fromIterable(chunks);
            case Err<List<Chunk>>(ErrInfo error) -> AsyncGen.failed(error);
        });
    }
}
