package io.funcpipe.rag.chunk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable chunk ids: {@code <docId>#<position, 4 digits or more>-<first 12 hex digits of the
 * SHA-256 of the chunk text>}, e.g. {@code speeches.csv:12#0003-9f86d081884c}. The same document
 * chunked with the same options always gives the same ids, so re-ingesting upserts in place.
 */
final class ChunkId {

    private ChunkId() {
    }

    static String of(String docId, int position, String text) {
        return docId + "#" + String.format("%04d", position) + "-" + sha256Prefix(text);
    }

    private static String sha256Prefix(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java SE must provide", e);
        }
    }
}
