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

    public CatalogException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static CatalogException notFound(String message) {
        return new CatalogException(Kind.NOT_FOUND, message);
    }

    public static CatalogException conflict(String message) {
        return new CatalogException(Kind.CONFLICT, message);
    }

    public static CatalogException invalid(String message) {
        return new CatalogException(Kind.INVALID, message);
    }
}
