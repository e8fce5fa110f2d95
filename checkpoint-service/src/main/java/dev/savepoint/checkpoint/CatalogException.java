package dev.savepoint.checkpoint;

/** A request the catalog refuses, with a message that says what was wrong and what to do; the API maps its kind. */
public class CatalogException extends RuntimeException {

    /** What kind of refusal: the API answers 404, 409 or 400. */
    public enum Kind {
        NOT_FOUND,
        CONFLICT,
        INVALID
    }

    private final Kind kind;
    private final String reason;

    public CatalogException(Kind kind, String message) {
        this(kind, null, message);
    }

    public CatalogException(Kind kind, String reason, String message) {
        super(message);
        this.kind = kind;
        this.reason = reason;
    }

    public Kind kind() {
        return kind;
    }

    /** A machine-readable reason where callers act on it differently (e.g. RUN_UNKNOWN); null otherwise. */
    public String reason() {
        return reason;
    }

    public static CatalogException notFound(String message) {
        return new CatalogException(Kind.NOT_FOUND, message);
    }

    public static CatalogException notFound(String reason, String message) {
        return new CatalogException(Kind.NOT_FOUND, reason, message);
    }

    public static CatalogException conflict(String message) {
        return new CatalogException(Kind.CONFLICT, message);
    }

    public static CatalogException invalid(String message) {
        return new CatalogException(Kind.INVALID, message);
    }
}
