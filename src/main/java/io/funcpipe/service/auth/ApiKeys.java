package io.funcpipe.service.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.funcpipe.service.job.Caller;
import io.vertx.core.Future;

/**
 * API keys from {@code auth.apiKeys.file}: one key a line, {@code sha256:<hex> <principal> [role,role...]},
 * blank lines and {@code #} comments ignored. The file holds only SHA-256 hashes of the keys (a key is
 * 32 random bytes, so a hash cannot be walked back); a presented key is hashed and compared with
 * every line in constant time ({@link MessageDigest#isEqual}), with no early exit.
 * {@link #newKey()} and {@link #line} make a key and its line ({@code funcpipe token apikey}).
 */
public record ApiKeys(List<Entry> entries) implements Authenticator {

    /** One line: the key's hash and the caller it names. */
    public record Entry(byte[] hash, Caller caller) {
        public Entry {
            requireNonNull(hash, "hash");
            requireNonNull(caller, "caller");
        }
    }

    private static final String PREFIX = "sha256:";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ApiKeys {
        entries = List.copyOf(requireNonNull(entries, "entries"));
    }

    /**
     * Reads the key file.
     *
     * @throws IllegalStateException naming the file and the line when it cannot be read or a line is wrong
     */
    public static ApiKeys read(Path file) {
        requireNonNull(file, "file");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the API key file " + file + " (auth.apiKeys.file): " + e
                    + "; make keys with 'funcpipe token apikey' (docs/security.md)", e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            entries.add(entry(line, file + " line " + (i + 1)));
        }
        return new ApiKeys(entries);
    }

    private static Entry entry(String line, String where) {
        String[] parts = line.split("\\s+");
        if (parts.length < 2 || parts.length > 3 || !parts[0].startsWith(PREFIX)
                || !HEX.matcher(parts[0].substring(PREFIX.length())).matches() || !NAME.matcher(parts[1]).matches()
                || parts[1].equals(Caller.INTERNAL.principal())) {
            throw new IllegalStateException(where + " must be 'sha256:<64 hex digits> <principal> [role,role...]' "
                    + "(the principal: letters, digits, . _ @ -, not '" + Caller.INTERNAL.principal() + "', which names the "
                    + "cluster itself); 'funcpipe token apikey' prints such a line");
        }
        Set<String> roles = parts.length == 2 ? Set.of()
                : Arrays.stream(parts[2].split(",")).filter(r -> !r.isBlank()).collect(Collectors.toSet());
        return new Entry(HexFormat.of().parseHex(parts[0].substring(PREFIX.length())), new Caller(parts[1], roles));
    }

    @Override
    public Future<Caller> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Future.failedFuture(new AuthException(MISSING));
        }
        byte[] hash = sha256(token.strip());
        Caller found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), hash)) {
                found = entry.caller();
            }
        }
        return found != null ? Future.succeededFuture(found) : Future.failedFuture(new AuthException(
                "the API key is not valid: it is in no line of the service's auth.apiKeys.file; ask the operator "
                        + "for a key ('funcpipe token apikey', docs/security.md)"));
    }

    /** A new random key: {@code fpk_} and 32 random bytes, base64url. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "fpk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The key file's line for {@code key}, naming {@code caller}. */
    public static String line(String key, Caller caller) {
        requireNonNull(caller, "caller");
        if (!NAME.matcher(caller.principal()).matches() || caller.principal().equals(Caller.INTERNAL.principal())) {
            throw new IllegalArgumentException("a principal is 1 to 128 letters, digits, . _ @ -, and not '"
                    + Caller.INTERNAL.principal() + "' (the cluster itself), got " + caller.principal());
        }
        String roles = caller.roles().stream().sorted().collect(Collectors.joining(","));
        return PREFIX + HexFormat.of().formatHex(sha256(requireNonNull(key, "key"))) + " " + caller.principal()
                + (roles.isEmpty() ? "" : " " + roles);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
