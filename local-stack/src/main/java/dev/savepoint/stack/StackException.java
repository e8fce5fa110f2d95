package dev.savepoint.stack;

/** A problem the user can act on (a port taken, a part that would not start); its message says which and what to do. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
