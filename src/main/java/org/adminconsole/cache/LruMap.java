package org.adminconsole.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map in access order that drops its least recently used entry beyond {@code max} entries. Not thread-safe. */
final class LruMap<K, V> extends LinkedHashMap<K, V> {

    private final int max;

    LruMap(int initialCapacity, int max) {
        super(initialCapacity, 0.75f, true);
        this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
    }
}
