package org.adminconsole.persistence;

import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.persistence.monitor.OperationStats;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What an operation did, published to listeners when it ends. Immutable. {@code regionsClearedFor}: tables
 * whose entities' second-level regions Hibernate emptied at this commit (synchronized native DML). {@code dryRun}: it
 * rolled back by design; {@code cancelled}: the operator (or a newer task) stopped it and it rolled back.
 */
public record OperationRecord(long id, String name, Operation.Kind kind, Instant startedAt, long durationNanos,
                              Outcome outcome, String message, OperationStats.Snapshot stats,
                              List<EntityChange> changes, Set<String> tables, Set<String> regionsClearedFor, int attempt,
                              boolean dryRun, boolean cancelled) {

    public enum Outcome { COMMITTED, ROLLED_BACK, FAILED }

    public OperationRecord {
        changes = List.copyOf(changes);
        tables = Set.copyOf(tables);
        regionsClearedFor = Set.copyOf(regionsClearedFor);
    }

    public String label() {
        return name + "#" + id;
    }
}
