package io.funcpipe.rag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hashes sync compares: SHA-256, hex. Of a document: its text and its metadata (sorted by
 * key), so a changed field re-indexes it; of a chunk: its text alone, so an unchanged paragraph of
 * a changed document keeps its vector.
 */
public final class ContentHash {

    private ContentHash() {
    }

    /** The hash of what a document gives the index: its text and metadata. */
    public static String of(RawDoc doc) {
        MessageDigest digest = sha256();
        update(digest, doc.text());
        for (Map.Entry<String, String> entry : new TreeMap<>(doc.metadata()).entrySet()) {
            update(digest, entry.getKey());
            update(digest, entry.getValue());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The hash of one chunk's text. */
    public static String ofText(String text) {
        MessageDigest digest = sha256();
        update(digest, text);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Length-prefixed, so that ("ab", "c") and ("a", "bc") differ. */
    private static void update(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                (byte) (bytes.length >>> 8), (byte) bytes.length});
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
