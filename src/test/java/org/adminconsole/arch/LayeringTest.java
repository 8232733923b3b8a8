package org.adminconsole.arch;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the README's "How it is built", as executable rules:
 * {@code ui → service → cache → persistence → (config, support, domain)}, composed only by the top-level
 * {@code org.adminconsole} package (App, AppContext, Launcher), with no package cycles.
 */
class LayeringTest {

    static JavaClasses classes;

    /**
     * The one named exception to "ui sees only services": the immutable snapshots that the data layer publishes
     * for the monitoring views (records with no behaviour and no database access). Copying each into a service
     * record field by field would add code, not safety. Anything else a presenter needs goes through a service.
     */
    static final Set<String> PUBLISHED_SNAPSHOTS = Set.of(
            "org.adminconsole.persistence.OperationRecord",
            "org.adminconsole.persistence.monitor.SqlEvent",
            "org.adminconsole.persistence.monitor.OperationStats$Snapshot",
            "org.adminconsole.persistence.Database$PoolStats",
            "org.adminconsole.cache.CoherenceService$Status",
            "org.adminconsole.cache.NamedValues$Stats",
            "org.adminconsole.cache.NamedValues$ValueStats",
            "org.adminconsole.cache.UserCache$Stats");

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.adminconsole", "db.migration");
    }

    static DescribedPredicate<JavaClass> publishedSnapshot() {
        return describe("an immutable snapshot published for monitoring views",
                c -> PUBLISHED_SNAPSHOTS.contains(c.getName())
                        || c.getEnclosingClass().map(e -> PUBLISHED_SNAPSHOTS.contains(e.getName())).orElse(false));
    }

    @Test
    void layersOnlyCallDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("org.adminconsole..", "db.migration..")
                .layer("App").definedBy(describe("the composition root (org.adminconsole itself)",
                        (JavaClass c) -> c.getPackageName().equals("org.adminconsole")))
                .layer("UI").definedBy("org.adminconsole.ui..")
                .layer("Service").definedBy("org.adminconsole.service..")
                .layer("Cache").definedBy("org.adminconsole.cache..")
                .layer("Persistence").definedBy("org.adminconsole.persistence..")
                .layer("Migrations").definedBy("db.migration..")
                .layer("Domain").definedBy("org.adminconsole.domain..")
                .layer("Config").definedBy("org.adminconsole.config..")
                .layer("Support").definedBy("org.adminconsole.support..")
                .whereLayer("App").mayOnlyBeAccessedByLayers("UI") // presenters look their services up in AppContext
                .whereLayer("UI").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Service").mayOnlyBeAccessedByLayers("App", "UI")
                .whereLayer("Cache").mayOnlyBeAccessedByLayers("App", "Service")
                .whereLayer("Persistence").mayOnlyBeAccessedByLayers("App", "Service", "Cache", "Migrations")
                .whereLayer("Migrations").mayNotBeAccessedByAnyLayer()
                .whereLayer("Domain").mayOnlyBeAccessedByLayers("App", "UI", "Service", "Cache", "Persistence", "Migrations")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("App", "UI", "Service", "Cache", "Persistence", "Migrations")
                .whereLayer("Support").mayOnlyBeAccessedByLayers("App", "UI", "Service", "Cache", "Persistence", "Config")
                .ignoreDependency(resideInAnyPackage("org.adminconsole.ui.."), publishedSnapshot())
                .because("presenters talk to services; only the named monitoring snapshots come up from below")
                .check(classes);
    }

    /** No cycles between the layers (top-level packages, sub-packages included). */
    @Test
    void noCyclesBetweenLayers() {
        slices().matching("org.adminconsole.(*)..").should().beFreeOfCycles().check(classes);
    }

    /**
     * No cycles between the features of a layer ({@code ui.users} and {@code ui.inspect} never need each other).
     * {@code persistence.audit} and {@code persistence.monitor} are not features but plug-ins of the operation
     * runner: they read the running {@code Operation} while the runner installs them into each session, so
     * persistence is checked as one piece by {@link #noCyclesBetweenLayers()}.
     */
    @Test
    void noCyclesBetweenFeatures() {
        slices().matching("org.adminconsole.ui.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("org.adminconsole.service.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("org.adminconsole.cache.(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(classes);
    }

    @Test
    void uiDoesNotTouchHibernateJpaOrJdbc() {
        noClasses().that().resideInAPackage("org.adminconsole.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("org.hibernate..", "jakarta.persistence..",
                        "java.sql..", "javax.sql..", "com.zaxxer..", "org.ehcache..", "javax.cache..")
                .because("presenters get immutable views from services, never sessions, entities or connections")
                .check(classes);
    }

    @Test
    void nonUiLayersDoNotTouchJavaFx() {
        noClasses().that().resideInAnyPackage("org.adminconsole.service..", "org.adminconsole.domain..",
                        "org.adminconsole.persistence..", "org.adminconsole.cache..", "org.adminconsole.config..",
                        "org.adminconsole.support..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .check(classes);
    }

    /**
     * Every way to open a Hibernate session, whatever type it is called through (SessionFactory,
     * SessionFactoryImplementor, SessionFactoryDelegatingImpl, a SessionBuilder, EntityManagerFactory),
     * stays inside persistence, where the operation runner gives it one transaction and closes it.
     */
    @Test
    void onlyPersistenceOpensSessions() {
        DescribedPredicate<JavaClass> sessionFactories = describe("a session or entity-manager factory",
                c -> c.isAssignableTo(org.hibernate.SessionFactory.class)
                        || c.isAssignableTo(jakarta.persistence.EntityManagerFactory.class)
                        || c.isAssignableTo(org.hibernate.SessionBuilder.class)
                        || c.isAssignableTo(org.hibernate.StatelessSessionBuilder.class));
        noClasses().that().resideOutsideOfPackage("org.adminconsole.persistence..")
                .should().callMethodWhere(describe("opens a session",
                        call -> sessionFactories.test(call.getTargetOwner())
                                && Set.of("openSession", "openStatelessSession", "withOptions", "withStatelessOptions",
                                        "createEntityManager", "getCurrentSession", "inSession", "inStatelessSession",
                                        "inTransaction", "inStatelessTransaction", "fromSession", "fromTransaction",
                                        "fromStatelessSession", "fromStatelessTransaction", "callInTransaction",
                                        "runInTransaction")
                                        .contains(call.getName())))
                .because("sessions are opened only by the operation runner (session per operation)")
                .check(classes);
    }

    @Test
    void uiDoesNotUseEntities() {
        noClasses().that().resideInAPackage("org.adminconsole.ui..")
                .should().dependOnClassesThat().areAnnotatedWith(jakarta.persistence.Entity.class)
                .because("entities never reach a presenter")
                .check(classes);
    }
}
