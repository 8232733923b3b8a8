package org.adminconsole.cache;

/** A cached value would hold a Hibernate entity (managed or detached), a proxy or a persistent collection. */
public final class CachedEntityException extends IllegalArgumentException {
    public CachedEntityException(String message) {
        super(message);
    }
}
