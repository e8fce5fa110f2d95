package dev.savepoint.trainer.command;

/**
 * What a command attempt restored ({@code resumed.json} in its work folder): the checkpoint, its cumulative step and
 * the trainer's own counter in that state, from which the cumulative steps of the attempt's new states are counted.
 */
public record ResumedState(String checkpointId, long step, Long counter) {
}
