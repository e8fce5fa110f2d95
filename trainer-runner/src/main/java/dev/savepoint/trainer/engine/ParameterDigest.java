package dev.savepoint.trainer.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The fingerprint that proves exact resume: SHA-256 over every parameter's little-endian bytes, in name order. */
public final class ParameterDigest {

    private ParameterDigest() {
    }

    public static String sha256(Map<String, HostTensor> parameters) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(parameters).values().forEach(t -> digest.update(t.data()));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
