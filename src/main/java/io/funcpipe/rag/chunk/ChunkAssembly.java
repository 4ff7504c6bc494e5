package io.funcpipe.rag.chunk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.CleanDoc;
import io.funcpipe.rag.Tokenizer;

/**
 * Packs one document's pieces greedily into chunks: a chunk takes whole pieces while their token
 * sum fits the budget, then is checked once with the tokenizer. A chunk that does not fit after
 * all (a tokenizer whose counts do not add up) gives back its last piece (and is not refilled
 * before it is emitted), or, when it is a single
 * piece, has that piece cut finer; a piece of characters always fits on its own, so this ends.
 * After each chunk, the next one starts with the last words of this one that fit the overlap.
 */
final class ChunkAssembly {

    private final CleanDoc doc;
    private final String text;
    private final Tokenizer tokenizer;
    private final Segmenter segmenter;
    private final int limit;
    private final int budget;
    private final int overlap;
    private final List<Chunk> chunks = new ArrayList<>();

    ChunkAssembly(CleanDoc doc, Tokenizer tokenizer, int limit, int special, int overlap) {
        this.doc = doc;
        this.text = doc.text();
        this.tokenizer = tokenizer;
        this.limit = limit;
        this.budget = limit - special;
        this.overlap = overlap;
        this.segmenter = new Segmenter(text, tokenizer, special, budget);
    }

    List<Chunk> run() {
        Deque<Piece> queue = new ArrayDeque<>(segmenter.pieces());
        List<Piece> current = new ArrayList<>();
        long sum = 0;
        boolean hasOverlap = false;
        boolean capped = false;
        while (true) {
            while (!capped && !queue.isEmpty() && (freshCount(current, hasOverlap) == 0 || sum + queue.peekFirst().tokens() <= budget)) {
                Piece next = queue.pollFirst();
                if (hasOverlap && current.size() == 1 && sum + next.tokens() > budget) {
                    current.clear();
                    sum = 0;
                    hasOverlap = false;
                }
                current.add(next);
                sum += next.tokens();
            }
            if (freshCount(current, hasOverlap) == 0) {
                return chunks;
            }
            String chunkText = slice(current);
            int tokens = tokenizer.countTokens(chunkText);
            if (tokens > limit) {
                if (freshCount(current, hasOverlap) > 1) {
                    Piece last = current.remove(current.size() - 1);
                    queue.addFirst(last);
                    sum -= last.tokens();
                    capped = true;
                } else if (hasOverlap) {
                    sum -= current.remove(0).tokens();
                    hasOverlap = false;
                    capped = true;
                } else {
                    List<Piece> finer = segmenter.finer(current.remove(0));
                    for (int i = finer.size() - 1; i >= 0; i--) {
                        queue.addFirst(finer.get(i));
                    }
                    sum = 0;
                    capped = false;
                }
                continue;
            }
            emit(chunkText, tokens);
            capped = false;
            Piece tail = overlapTail(current.get(0).start(), current.get(current.size() - 1).end());
            current.clear();
            sum = 0;
            hasOverlap = tail != null;
            if (hasOverlap) {
                current.add(tail);
                sum = tail.tokens();
            }
        }
    }

    private void emit(String chunkText, int tokens) {
        int position = chunks.size();
        chunks.add(new Chunk(ChunkId.of(doc.id(), position, chunkText), doc.id(), doc.location(), position, chunkText,
                tokens, doc.metadata()));
    }

    /** The last whole words of {@code [start, end)} whose tokens fit the overlap, never the whole chunk; or null. */
    private Piece overlapTail(int start, int end) {
        if (overlap == 0) {
            return null;
        }
        int tailStart = end;
        int tokens = 0;
        int i = end;
        while (i > start) {
            int wordEnd = i;
            while (wordEnd > start && Character.isWhitespace(text.charAt(wordEnd - 1))) {
                wordEnd--;
            }
            int wordStart = wordEnd;
            while (wordStart > start && !Character.isWhitespace(text.charAt(wordStart - 1))) {
                wordStart--;
            }
            if (wordStart <= start || wordStart == wordEnd) {
                break;
            }
            int wordTokens = segmenter.count(wordStart, wordEnd);
            if (tokens + wordTokens > overlap) {
                break;
            }
            tokens += wordTokens;
            tailStart = wordStart;
            i = wordStart;
        }
        return tailStart == end ? null : new Piece(tailStart, end, tokens, Piece.Level.WORD);
    }

    private String slice(List<Piece> pieces) {
        return text.substring(pieces.get(0).start(), pieces.get(pieces.size() - 1).end());
    }

    private static int freshCount(List<Piece> current, boolean hasOverlap) {
        return hasOverlap ? current.size() - 1 : current.size();
    }
}
