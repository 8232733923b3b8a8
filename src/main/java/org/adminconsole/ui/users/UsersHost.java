package org.adminconsole.ui.users;

import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.UserQuery;

/**
 * What the row actions ({@link UserActions}) and the bulk panel ({@link BulkPresenter}) need from the Users view,
 * and nothing else of it: the rows the operator chose, the query shown, the message line, a reload. FX thread only.
 */
interface UsersHost {

    /** The node that owns the dialogs and windows the actions open. */
    Node owner();

    /** The row the operator acts on (the table's selected item), if any. */
    Optional<UserView> current();

    /** Every selected row. */
    List<UserView> selected();

    /** The query the table shows. */
    UserQuery query();

    /** Shows a sentence on the view's message line. */
    void message(String text);

    /** Shows the same page again, and the total. */
    void reload();
}
