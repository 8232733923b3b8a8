package org.adminconsole.persistence;

import java.util.HashMap;
import java.util.Map;
import javax.cache.CacheManager;
import javax.sql.DataSource;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.audit.StatelessAuditListener;
import org.adminconsole.persistence.monitor.FirstLevelCacheListener;
import org.adminconsole.persistence.monitor.OperationStatistics;
import org.adminconsole.persistence.monitor.SqlMonitor;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.stat.spi.StatisticsFactory;

/**
 * Builds the Hibernate SessionFactory: our own data source (HikariCP behind datasource-proxy), schema validation,
 * the Ehcache second-level cache through JCache with every region declared, statistics that count into the
 * running operation, JDBC batching, and the audit and first-level-cache listeners.
 */
final class SessionFactories {

    private SessionFactories() {
    }

    static SessionFactory build(DataSource ds, Settings s, SqlMonitor monitor) {
        CacheManager cacheManager = SecondLevelCache.create(s);
        Map<String, Object> p = new HashMap<>();
        p.put("jakarta.persistence.nonJtaDataSource", ds);
        // no schema validation while building: the build runs alongside the migrations, and Database.open validates the
        // mapping once both are done (SchemaManager.validateMappedObjects)
        p.put("hibernate.hbm2ddl.auto", "none");
        p.put("hibernate.cache.use_second_level_cache", "true");
        p.put("hibernate.cache.use_query_cache", "true");
        p.put("hibernate.cache.region.factory_class", "jcache");
        p.put("hibernate.javax.cache.cache_manager", cacheManager);
        p.put("hibernate.javax.cache.missing_cache_strategy", "fail");
        p.put("hibernate.generate_statistics", "true");
        p.put("hibernate.connection.provider_disables_autocommit", "true");
        // statistics that also count L2 hits/misses/puts into the running operation
        p.put("hibernate.stats.factory", (StatisticsFactory) factory -> new OperationStatistics(factory, monitor));
        p.put("hibernate.jdbc.batch_size", "50");
        // a sequence value is the first id of its block: writers outside the console (the column default) take one
        // value each and can never land inside a block the console holds
        p.put("hibernate.id.optimizer.pooled.preferred", "pooled-lo");
        p.put("hibernate.order_inserts", "true");
        p.put("hibernate.order_updates", "true");
        p.put("hibernate.jdbc.time_zone", "UTC");
        p.put("hibernate.query.fail_on_pagination_over_collection_fetch", "true");
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder().applySettings(p).build();
        try {
            SessionFactory sf = new MetadataSources(registry)
                    .addAnnotatedClass(User.class)
                    .addAnnotatedClass(Department.class)
                    .buildMetadata()
                    .buildSessionFactory();
            EventListenerRegistry events = sf.unwrap(SessionFactoryImplementor.class).getEventListenerRegistry();
            StatelessAuditListener audit = new StatelessAuditListener(s.operator());
            events.appendListeners(EventType.PRE_INSERT, audit);
            events.appendListeners(EventType.PRE_UPDATE, audit);
            events.prependListeners(EventType.LOAD, new FirstLevelCacheListener());
            return sf;
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            if (!cacheManager.isClosed()) {
                cacheManager.close();
            }
            throw e;
        }
    }

}
