package kiban.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import kiban.core.error.InvalidInputException;

/**
 * The server's API key. A request carries it as openpi's client sends it,
 * {@code Authorization: Api-Key <key>} (or {@code Bearer <key>}, as Prometheus scrapers can).
 * Both sides are hashed and compared with {@link MessageDigest#isEqual}, so the time taken reveals
 * neither the key's bytes nor its length.
 */
public final class ApiKey {

    /** A key must be worth at least this many random bits; 128 is out of reach of online guessing. */
    public static final int MIN_BITS = 128;

    private static final String HEX = "0123456789abcdefABCDEF";
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_";

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

    /** A new key of 256 random bits, base64url without padding (43 characters). */
    public static String generate() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Refuses a key that cannot hold {@link #MIN_BITS} random bits: its length times the bits per
     * character of the smallest usual alphabet it is written in (hex 4, base64 6, printable ASCII
     * 6.6), or one written with fewer than 8 distinct characters (a pattern, not a random key).
     */
    public static void checkStrength(String key, String option) {
        double perChar = within(key, HEX) ? 4 : within(key, BASE64) ? 6 : Math.log(95) / Math.log(2);
        int bits = (int) Math.floor(key.length() * perChar);
        long distinct = key.chars().distinct().count();
        if (bits < MIN_BITS || distinct < 8) {
            throw new InvalidInputException(option, "", "a key of at least " + MIN_BITS + " random bits (32 hex digits, 22 base64 "
                    + "characters; 'kiban serve --generate-key FILE' writes one)", "a key of " + key.length() + " characters"
                    + (distinct < 8 ? " with only " + distinct + " distinct ones" : ", about " + bits + " bits"));
        }
    }

    private static boolean within(String key, String alphabet) {
        return key.chars().allMatch(c -> alphabet.indexOf(c) >= 0);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
