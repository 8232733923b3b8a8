package org.adminconsole.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of DESIGN.md, section 1, as executable rules. */
class LayeringTest {

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.adminconsole");
    }

    @Test
    void uiDoesNotTouchHibernateOrJpa() {
        noClasses().that().resideInAPackage("org.adminconsole.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("org.hibernate..", "jakarta.persistence..")
                .because("presenters get immutable views from services, never sessions or entities")
                .check(classes);
    }

    @Test
    void nonUiLayersDoNotTouchJavaFx() {
        noClasses().that().resideInAnyPackage("org.adminconsole.service..", "org.adminconsole.domain..",
                        "org.adminconsole.persistence..", "org.adminconsole.cache..", "org.adminconsole.config..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .check(classes);
    }

    @Test
    void onlyPersistenceOpensSessions() {
        noClasses().that().resideOutsideOfPackage("org.adminconsole.persistence..")
                .should().callMethod(org.hibernate.SessionFactory.class, "openSession")
                .orShould().callMethod(org.hibernate.SessionFactory.class, "openStatelessSession")
                .orShould().callMethod(org.hibernate.SessionFactory.class, "withOptions")
                .check(classes);
    }

    @Test
    void uiDoesNotUseEntities() {
        noClasses().that().resideInAPackage("org.adminconsole.ui..")
                .should().dependOnClassesThat().areAnnotatedWith(jakarta.persistence.Entity.class)
                .because("entities never reach a presenter")
                .check(classes);
    }

    @Test
    void domainDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.adminconsole.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("org.adminconsole.persistence..",
                        "org.adminconsole.service..", "org.adminconsole.cache..", "org.adminconsole.ui..")
                .check(classes);
    }

    @Test
    void servicesDoNotDependOnUi() {
        noClasses().that().resideInAnyPackage("org.adminconsole.service..", "org.adminconsole.persistence..",
                        "org.adminconsole.cache..")
                .should().dependOnClassesThat().resideInAPackage("org.adminconsole.ui..")
                .check(classes);
    }
}
