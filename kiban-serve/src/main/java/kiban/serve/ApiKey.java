package kiban.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The server's API key. A request carries it as openpi's client sends it,
 * {@code Authorization: Api-Key <key>} (or {@code Bearer <key>}, as Prometheus scrapers can).
 * Both sides are hashed and compared with {@link MessageDigest#isEqual}, so the time taken reveals
 * neither the key's bytes nor its length.
 */
final class ApiKey {

    private final byte[] digest;

    ApiKey(String key) {
        this.digest = sha256(key);
    }

    /** True when the {@code Authorization} header value carries the key. */
    boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        String presented;
        if (authorization.regionMatches(true, 0, "Api-Key ", 0, 8)) {
            presented = authorization.substring(8).trim();
        } else if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        } else {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
