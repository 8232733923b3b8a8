package org.adminconsole.ui.users;

import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javafx.animation.PauseTransition;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.Node;
import javafx.scene.layout.BorderPane;
import javafx.util.Duration;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.UserPage;
import org.adminconsole.service.users.UserPaging;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserExport;
import org.adminconsole.service.users.UserTotal;
import org.adminconsole.service.DataChanges;
import org.adminconsole.ui.FollowData;

/**
 * The Users view: a page of users from the database (keyset paging), search as you type (debounced; a newer
 * search cancels the older), filters, sort by any column (done by the database), an estimated then exact total.
 * Row actions live in {@link UserActions}, bulk actions in their own included view ({@link BulkPresenter}); both see
 * this view only as a {@link UsersHost}. The editor is a side panel.
 */
public class UsersPresenter implements UsersHost {

    static final int PAGE_SIZE = 50;
    static final java.util.Set<String> USER_TABLES = java.util.Set.of("users", "user_departments", "departments");

    private final UserListing users;
    private final UserExport export;
    private final UserEditing editing;
    private final TaskRunner runner;
    private final ViewLoader loader;
    private final DataChanges changes;
    private final PauseTransition debounce = new PauseTransition(Duration.millis(250));
    private final UserPaging paging = new UserPaging(PAGE_SIZE);
    private UserActions actions;
    private UserFilters filters;

    @FXML BorderPane root;
    @FXML TextField searchField;
    @FXML ComboBox<String> roleFilter;
    @FXML ComboBox<String> activeFilter;
    @FXML ComboBox<DepartmentView> departmentFilter;
    @FXML CheckBox overQuotaFilter;
    @FXML CheckBox startsWithFilter;
    @FXML TableView<UserView> usersTable;
    @FXML TableColumn<UserView, Object> emailColumn, usernameColumn, roleColumn, activeColumn, departmentsColumn,
            quotaColumn, usageColumn, lastLoginColumn, updatedColumn;
    @FXML Button openButton, toggleActiveButton, deleteButton, historyButton, firstButton, prevButton, nextButton, lastButton;
    @FXML Label pageLabel, totalLabel, messageLabel, searchHint, emptyLabel, selectionLabel;
    @FXML javafx.scene.control.Hyperlink selectAllMatchingLink;
    private UserTotal shownTotal;
    @FXML ProgressIndicator pageBusy;
    @FXML UserEditorPresenter editorController;
    @FXML BulkPresenter bulkController;

    public UsersPresenter(UserListing users, UserEditing editing, UserExport export, TaskRunner runner, ViewLoader loader, DataChanges changes) {
        this.users = users;
        this.export = export;
        this.editing = editing;
        this.runner = runner;
        this.loader = loader;
        this.changes = changes;
    }

    @FXML
    private void initialize() {
        if (users.masksEmails()) {
            searchField.setPromptText("Search inside username or masked email (Ctrl+F)"); // a viewer sees emails masked
        }
        actions = new UserActions(editing, runner, loader, this, editorController);
        bulkController.attach(this);
        column(emailColumn, UserQuery.Sort.EMAIL, UserView::email);
        column(usernameColumn, UserQuery.Sort.USERNAME, UserView::username);
        column(roleColumn, UserQuery.Sort.ROLE, UserView::role);
        column(activeColumn, UserQuery.Sort.ACTIVE, u -> u.active() ? "yes" : "no");
        column(departmentsColumn, UserQuery.Sort.DEPARTMENTS, UserView::departmentNames);
        column(quotaColumn, UserQuery.Sort.QUOTA, u -> u.quota().toPlainString());
        column(usageColumn, UserQuery.Sort.USAGE, u -> u.usage().toPlainString());
        column(lastLoginColumn, UserQuery.Sort.LAST_LOGIN, u -> time(u.lastLogin()));
        column(updatedColumn, UserQuery.Sort.UPDATED, u -> time(u.updatedAt()));
        usersTable.setSortPolicy(t -> {
            sortChanged();
            return true; // the database sorts; the page's rows are already in order
        });
        usersTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        usersTable.setRowFactory(t -> actions.row(new TableRow<>()));
        usersTable.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openSelected();
            }
        });
        filters = new UserFilters(startsWithFilter, roleFilter, activeFilter, departmentFilter, overQuotaFilter,
                () -> applyQuery(filters.applyTo(paging.query())));
        searchField.textProperty().addListener(o -> debounce.playFromStart());
        debounce.setOnFinished(e -> applyQuery(paging.query().withSearch(searchField.getText())));
        KeyCombination find = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
        KeyCombination create = new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN);
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (find.match(e)) {
                searchField.requestFocus();
                searchField.selectAll();
                e.consume();
            } else if (create.match(e)) {
                newUser();
                e.consume();
            }
        });
        initializeActions();
        runner.run("Loading departments", users::departments, this::departmentsLoaded, this::message);
        reload();
        // the page and the total follow every commit (this console's, other consoles', a reconnect), in place
        FollowData.tables(changes, root, USER_TABLES, java.time.Duration.ofSeconds(1), this::refreshInPlace);
    }

    private void initializeActions() {
        var noSelection = usersTable.getSelectionModel().selectedItemProperty().isNull();
        openButton.disableProperty().bind(noSelection);
        toggleActiveButton.disableProperty().bind(noSelection);
        deleteButton.disableProperty().bind(noSelection);
        historyButton.disableProperty().bind(noSelection);
        usersTable.getSelectionModel().selectedItemProperty().addListener((o, old, u) ->
                toggleActiveButton.setText(u != null && !u.active() ? "Reactivate" : "Deactivate"));
        editorController.setOnSaved(u -> {
            message("Saved " + u.email() + ".");
            usersTable.requestFocus(); // the next keystroke belongs to the list (the editor is gone; focus was on its Save)
            load(paging.current(), true); // in place: the edited row stays selected where it was
            refreshTotal();
        });
        editorController.setOnClosed(() -> usersTable.requestFocus());
        usersTable.getSelectionModel().getSelectedItems().addListener((javafx.collections.ListChangeListener<UserView>) c -> {
            if (!usersTable.getSelectionModel().getSelectedItems().isEmpty()) {
                bulkController.useAllMatching(false); // choosing rows again: the bulk actions follow the rows
            }
            showSelection();
        });
        bulkController.onScopeChanged(this::showSelection);
    }

    /**
     * "3 selected" and, while rows are selected, "Select all 1,234 matching"; once chosen, "All 1,234 matching selected":
     * the bulk actions then apply to every user matching the search and filters, not only to this page's rows.
     */
    private void showSelection() {
        int n = usersTable.getSelectionModel().getSelectedItems().size();
        boolean all = bulkController.usesAllMatching();
        String total = shownTotal == null ? "" : (shownTotal.exact() ? String.format("%,d", shownTotal.value())
                : shownTotal.atLeast() ? "more than " + String.format("%,d", shownTotal.value()) : "≈ " + String.format("%,d", shownTotal.value()));
        selectionLabel.setText(all ? "All " + total + " matching selected" : n == 0 ? "" : n + " selected");
        boolean offer = !all && n > 0 && shownTotal != null && shownTotal.value() > n;
        selectAllMatchingLink.setText("Select all " + total + " matching");
        selectAllMatchingLink.setVisible(offer);
        selectAllMatchingLink.setManaged(offer);
    }

    @FXML
    void selectAllMatching() {
        usersTable.getSelectionModel().clearSelection();
        bulkController.useAllMatching(true);
    }

    private void departmentsLoaded(List<DepartmentView> departments) {
        filters.setDepartments(departments);
        bulkController.setDepartments(departments);
        editorController.setDepartments(departments);
    }

    /** Shows the same page again without moving the view: the selection (by id) and the scroll position stay. */
    void refreshInPlace() {
        if (pageBusy.isVisible()) {
            return; // a load the operator started is on its way: it shows fresh rows, and must not be superseded
        }
        load(paging.current(), true);
        refreshTotal();
    }

    private void column(TableColumn<UserView, Object> c, UserQuery.Sort sort, Function<UserView, Object> value) {
        c.setUserData(sort);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
    }

    private static String time(LocalDateTime t) {
        return t == null ? "" : HistoryPresenter.TIME.format(t);
    }

    private void sortChanged() {
        TableColumn<UserView, ?> c = usersTable.getSortOrder().isEmpty() ? null : usersTable.getSortOrder().get(0);
        UserQuery.Sort sort = c == null ? UserQuery.Sort.EMAIL : (UserQuery.Sort) c.getUserData();
        boolean asc = c == null || c.getSortType() == TableColumn.SortType.ASCENDING;
        applyQuery(paging.query().withSort(sort, asc));
    }

    void applyQuery(UserQuery q) {
        String hint = UserFilters.searchHint(q);
        searchHint.setText(hint);
        searchHint.setVisible(!hint.isEmpty());
        searchHint.setManaged(!hint.isEmpty());
        if (paging.setQuery(q)) {
            load(paging.first());
            refreshTotal();
        }
    }

    @Override
    public UserQuery query() { return paging.query(); }

    /** Task keys of this view: a newer load supersedes this view's older one, never another view's. */
    private String key(String name) {
        return name + "@" + System.identityHashCode(this);
    }

    @FXML void firstPage() { load(paging.first()); }
    @FXML void nextPage() { load(paging.next()); }
    @FXML void previousPage() { load(paging.previous()); }
    @FXML void lastPage() { load(paging.last()); }

    /** Shows the same page again (after an edit), and the total. */
    @Override
    public void reload() {
        load(paging.current());
        refreshTotal();
    }

    private void load(UserPaging.Request r) {
        load(r, false);
    }

    private void load(UserPaging.Request r, boolean inPlace) {
        pageBusy.setVisible(true);
        var job = runner.job("Loading users", () -> users.page(r.query(), r.nav(), r.anchor(), PAGE_SIZE)).key(key("users.page"));
        (inPlace ? job.quiet() : job).onSuccess(p -> {
            if (p.isEmpty() && (r.nav() == UserPage.Nav.NEXT || r.nav() == UserPage.Nav.PREVIOUS)) {
                load(paging.first()); // the rows around the anchor are gone (edited meanwhile): start over
                return;
            }
            if (!paging.accept(r, p)) {
                return; // a newer query is on its way
            }
            pageBusy.setVisible(false);
            java.util.Set<Long> selectedIds = new java.util.HashSet<>();
            usersTable.getSelectionModel().getSelectedItems().forEach(u -> selectedIds.add(u.id()));
            String empty = UserFilters.emptyText(r.query());
            // a viewer's search looks at the masked email (issue 15 item 3): say so
            emptyLabel.setText(users.masksEmails() ? empty.replace("email or username", "masked email or username") : empty);
            usersTable.getItems().setAll(p.rows());
            if (inPlace) {
                for (int i = 0; i < p.rows().size(); i++) {
                    if (selectedIds.contains(p.rows().get(i).id())) {
                        usersTable.getSelectionModel().select(i);
                    }
                }
            } else {
                usersTable.scrollTo(0);
            }
            firstButton.setDisable(!p.hasPrevious());
            prevButton.setDisable(!p.hasPrevious());
            nextButton.setDisable(!p.hasNext());
            lastButton.setDisable(!p.hasNext());
            pageLabel.setText(paging.pageLabel());
        }).onFailure(m -> {
            pageBusy.setVisible(false);
            message("Users could not be loaded: " + m);
        }).start();
    }

    private void refreshTotal() {
        UserQuery q = paging.query();
        runner.runLatest(key("users.estimate"), "Estimating the total", () -> users.estimate(q), t -> {
            if (showTotal(q, t) && !t.exact()) {
                runner.runLatest(key("users.count"), "Counting users", () -> users.count(q), exact -> showTotal(q, exact), this::message);
            }
        }, this::message);
    }

    private boolean showTotal(UserQuery q, UserTotal t) {
        if (paging.acceptTotal(q, t)) {
            totalLabel.setText(t.display());
            shownTotal = t;
            showSelection();
            return true;
        }
        return false;
    }

    @Override
    public void message(String text) {
        messageLabel.setText(text);
    }

    @Override
    public Node owner() {
        return root;
    }

    @Override
    public Optional<UserView> current() {
        return Optional.ofNullable(usersTable.getSelectionModel().getSelectedItem());
    }

    @Override
    public List<UserView> selected() {
        return List.copyOf(usersTable.getSelectionModel().getSelectedItems());
    }

    @FXML void newUser() { editorController.createNew(); }
    @FXML void openSelected() { actions.open(); }
    @FXML void toggleActive() { actions.toggleActive(); }
    @FXML void delete() { actions.delete(); }
    @FXML void history() { actions.history(); }
    /** Export CSV… (Ctrl+E): every user the search and filters keep, in the order shown. */
    @FXML void exportCsv() { new UserCsvExport(export, runner, this).ask(); }

    /** Departments…: when its window closes, the department lists and the rows (names may have changed) reload. */
    @FXML void departments() {
        actions.departments(() -> {
            runner.run("Loading departments", users::departments, this::departmentsLoaded, this::message);
            reload();
        });
    }
}
