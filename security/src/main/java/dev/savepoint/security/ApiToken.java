package dev.savepoint.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API token as a caller presents it: {@code sp_<id>_<secret>}. The id (12 url-safe characters) finds the stored
 * row; the secret (32 random bytes, base64url) is never stored, only its SHA-256, so a copy of the table lets nobody
 * in. Shown once when created.
 */
public record ApiToken(String id, String secret) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("sp_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})");
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** A new random token. */
    public static ApiToken generate() {
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new ApiToken(id.toString(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The token in {@code text}, or empty when it is not of the Savepoint format. */
    public static Optional<ApiToken> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var m = FORMAT.matcher(text.trim());
        return m.matches() ? Optional.of(new ApiToken(m.group(1), m.group(2))) : Optional.empty();
    }

    /** Whether {@code text} looks like a Savepoint token (and not, say, an OIDC bearer token). */
    public static boolean looksLikeOne(String text) {
        return text != null && text.startsWith("sp_");
    }

    /** The text a caller sends. */
    public String value() {
        return "sp_" + id + "_" + secret;
    }

    /** SHA-256 of the secret: what the table stores. */
    public byte[] secretHash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Constant-time comparison with a stored hash. */
    public boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(secretHash(), storedHash);
    }

    @Override
    public String toString() {
        return "ApiToken[" + id + "]"; // never the secret
    }
}
