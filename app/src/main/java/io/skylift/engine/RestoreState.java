package io.skylift.engine;

/**
 * Where an asked-for restore of one file stands: {@link ArchiveState.Kind#RESTORING}, or already
 * {@link ArchiveState.Kind#RESTORED} with its expiry. Immutable.
 */
public record RestoreState(String key, ArchiveState state) {}
