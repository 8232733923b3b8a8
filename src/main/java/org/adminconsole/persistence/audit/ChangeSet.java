package org.adminconsole.persistence.audit;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What one operation changed so far: entity changes with field diffs (merged per row across flushes), the
 * tables it wrote, and the tables whose second-level regions its native DML empties. The audit writer, the
 * table-version bump and cache invalidation all read it. A savepoint takes a {@link #mark()} and a rolled-back
 * nested unit {@link #restore}s it, so the rolled-back work leaves no audit row and invalidates nothing.
 */
public final class ChangeSet {

    /** A copy of the set at a savepoint. */
    public record Mark(Map<Object, EntityChange> changes, Set<String> tables, Set<String> regions, Map<Object, Long> reverts) {
    }

    private final Map<Object, EntityChange> changes = new LinkedHashMap<>();
    /** Sorted: concurrent writers bump version rows in one order, so they cannot deadlock on them. */
    private final TreeSet<String> touchedTables = new TreeSet<>();
    private final TreeSet<String> regionsClearedFor = new TreeSet<>();
    private final Map<Object, EntityChange> pendingInserts = new IdentityHashMap<>();
    /** Per changed row: the audit entry (entry_no) this operation reverts, written into its audit row. */
    private final Map<Object, Long> reverts = new LinkedHashMap<>();

    /** Declares that this operation's change of the row reverts audit entry {@code entryNo}. */
    public void noteRevert(String entity, Object id, long entryNo) {
        reverts.put(entity + "#" + id, entryNo);
    }

    /** The audit entry the change of this row reverts, or null. */
    public Long revertOf(String entity, Object id) {
        return reverts.get(entity + "#" + id);
    }

    public void touch(String table) {
        touchedTables.add(table);
    }

    public void touchWithRegionClear(String table) {
        touchedTables.add(table);
        regionsClearedFor.add(table);
    }

    public Set<String> touchedTables() {
        return touchedTables;
    }

    public Set<String> regionsClearedFor() {
        return regionsClearedFor;
    }

    public boolean isEmpty() {
        return changes.isEmpty() && touchedTables.isEmpty() && pendingInserts.isEmpty();
    }

    /** Merges a change of one entity into the set (several flushes may see the same row). */
    public void record(EntityChange change) {
        touchedTables.add(change.table());
        Object key = change.entity() + "#" + change.id();
        EntityChange prev = changes.get(key);
        if (prev == null) {
            changes.put(key, change);
            return;
        }
        Map<String, EntityChange.FieldChange> merged = new LinkedHashMap<>();
        prev.fields().forEach(f -> merged.put(f.field(), f));
        for (EntityChange.FieldChange f : change.fields()) {
            EntityChange.FieldChange old = merged.get(f.field());
            merged.put(f.field(), old == null ? f : new EntityChange.FieldChange(f.field(), old.oldValue(), f.newValue()));
        }
        EntityChange.Action action = prev.action() == EntityChange.Action.INSERT && change.action() != EntityChange.Action.DELETE
                ? EntityChange.Action.INSERT : change.action();
        Long previousVersion = prev.previousVersion() != null ? prev.previousVersion() : change.previousVersion();
        changes.put(key, new EntityChange(change.entity(), change.table(), change.id(), action, new ArrayList<>(merged.values()),
                previousVersion));
    }

    /** An insert whose id the database generates (IDENTITY): resolved after the flush. */
    public void recordPendingInsert(Object entity, EntityChange change) {
        touchedTables.add(change.table());
        pendingInserts.put(entity, change);
    }

    public void resolvePendingInserts(Function<Object, Object> idOf) {
        for (Map.Entry<Object, EntityChange> e : pendingInserts.entrySet()) {
            EntityChange c = e.getValue();
            Object id = idOf.apply(e.getKey());
            if (id != null) {
                record(new EntityChange(c.entity(), c.table(), id, c.action(), c.fields(), c.previousVersion()));
            }
        }
        pendingInserts.clear();
    }

    public List<EntityChange> changes() {
        return List.copyOf(changes.values());
    }

    public Mark mark() {
        return new Mark(new LinkedHashMap<>(changes), new TreeSet<>(touchedTables), new TreeSet<>(regionsClearedFor),
                new LinkedHashMap<>(reverts));
    }

    public void restore(Mark m) {
        changes.clear();
        changes.putAll(m.changes());
        touchedTables.clear();
        touchedTables.addAll(m.tables());
        regionsClearedFor.clear();
        regionsClearedFor.addAll(m.regions());
        pendingInserts.clear();
        reverts.clear();
        reverts.putAll(m.reverts());
    }
}
