package org.adminconsole.ui;

import java.util.Map;
import javafx.css.PseudoClass;
import javafx.event.ActionEvent;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import org.adminconsole.service.access.Access;
import org.adminconsole.service.access.Role;

/**
 * Locks what the signed-in role cannot do, in every view {@link ViewLoader} loads: the control looks disabled, does
 * nothing when pressed (its action is consumed, also from a default-button Enter), leaves the tab order, and its
 * tooltip says which role can ("Needs the admin role; you are signed in as viewer."). It is not {@code disabled}
 * because JavaFX shows no tooltip on a disabled control, and because presenters bind their buttons' disabled state to
 * the selection. The services refuse the same actions, and the database refuses the writes.
 */
public final class RoleGate {

    /** Controls by id and the role each needs. */
    static final Map<String, Role> NEEDS = Map.ofEntries(
            Map.entry("newButton", Role.OPERATOR),
            Map.entry("toggleActiveButton", Role.OPERATOR),
            Map.entry("bulkButton", Role.OPERATOR),
            Map.entry("saveButton", Role.OPERATOR),
            Map.entry("depCreateButton", Role.OPERATOR),
            Map.entry("depSaveButton", Role.OPERATOR),
            Map.entry("historyRevert", Role.OPERATOR),
            Map.entry("historyRevertAction", Role.OPERATOR),
            Map.entry("deleteButton", Role.ADMIN),
            Map.entry("depDeleteButton", Role.ADMIN),
            Map.entry("depMoveButton", Role.ADMIN),
            Map.entry("evictRegionButton", Role.ADMIN),
            Map.entry("evictEntityButton", Role.ADMIN),
            Map.entry("evictAllButton", Role.ADMIN),
            Map.entry("generateButton", Role.ADMIN));

    static final PseudoClass LOCKED = PseudoClass.getPseudoClass("locked");
    private static final String KEY = "adminconsole.roleGate";

    private RoleGate() {
    }

    /** Locks every control of {@code root} that the signed-in role cannot use. FX thread (or before the view shows). */
    public static void apply(Parent root, Access access) {
        NEEDS.forEach((id, needed) -> {
            if (!access.can(needed)) {
                for (Node n : root.lookupAll("#" + id)) {
                    lock(n, access.needsTooltip(needed), needed);
                }
            }
        });
    }

    /** Locks one control: looks disabled, does nothing, says which role can. */
    public static void lock(Node n, String tooltip, Role needed) {
        if (n.getProperties().containsKey(KEY)) {
            return;
        }
        n.getProperties().put(KEY, needed);
        n.pseudoClassStateChanged(LOCKED, true);
        n.getStyleClass().add("locked");
        n.setFocusTraversable(false);
        n.addEventFilter(ActionEvent.ACTION, Event::consume);
        if (n instanceof Control c) {
            Tooltip t = new Tooltip(tooltip);
            t.setShowDelay(javafx.util.Duration.millis(200));
            c.setTooltip(t);
            c.setAccessibleHelp(tooltip);
        }
    }

    /** The role a locked control needs, or null when it is not locked. */
    public static Role lockedFor(Node n) {
        return (Role) n.getProperties().get(KEY);
    }
}
