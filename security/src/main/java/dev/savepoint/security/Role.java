package dev.savepoint.security;

import java.util.Locale;
import java.util.Set;

/**
 * The roles a caller of the REST APIs can hold. Viewer, operator and admin form a ladder (each may do what the one
 * below may); trainer is the separate identity of attempts and of the services calling each other, and admin may do
 * what trainer may. A token carries one role; {@link #grants()} is what Quarkus security sees.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN, TRAINER;

    /** Names for {@code @RolesAllowed}. */
    public static final String VIEWER_NAME = "viewer";
    public static final String OPERATOR_NAME = "operator";
    public static final String ADMIN_NAME = "admin";
    public static final String TRAINER_NAME = "trainer";

    /** The role's name as stored and as written on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every Quarkus role a holder of this role has. */
    public Set<String> grants() {
        return switch (this) {
            case VIEWER -> Set.of(VIEWER_NAME);
            case OPERATOR -> Set.of(VIEWER_NAME, OPERATOR_NAME);
            case ADMIN -> Set.of(VIEWER_NAME, OPERATOR_NAME, ADMIN_NAME, TRAINER_NAME);
            case TRAINER -> Set.of(TRAINER_NAME);
        };
    }

    /** The role named {@code id}; an unknown name is refused naming the allowed ones. */
    public static Role parse(String id) {
        for (Role r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be one of viewer, operator, admin, trainer, got " + id);
    }
}
