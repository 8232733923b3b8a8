package org.adminconsole.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.util.Callback;

/**
 * Loads an FXML view from {@code /fxml} and builds its presenter (named by {@code fx:controller}) through
 * a controller factory: the presenter's public constructor gets its parameters by type from the known
 * components (services, the task runner, this loader). Scene Builder still sees plain FXML.
 */
public final class ViewLoader {

    private final Map<Class<?>, Object> components = new LinkedHashMap<>();

    public ViewLoader(Map<Class<?>, Object> components) {
        this.components.putAll(components);
        this.components.put(ViewLoader.class, this);
    }

    public ViewLoader with(Class<?> type, Object instance) {
        components.put(type, instance);
        return this;
    }

    public <T> T component(Class<T> type) {
        return type.cast(components.get(type));
    }

    /** A loaded view: its root node and presenter. */
    public record View<P>(Parent root, P presenter) {
    }

    public <P> View<P> load(String fxml) {
        URL url = ViewLoader.class.getResource("/fxml/" + fxml);
        if (url == null) {
            throw new IllegalArgumentException("No FXML view /fxml/" + fxml);
        }
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(controllerFactory());
        try {
            Parent root = loader.load();
            if (components.get(org.adminconsole.service.access.Access.class) instanceof org.adminconsole.service.access.Access access) {
                RoleGate.apply(root, access); // what the signed-in role cannot do is locked, in every view and dialog
            }
            return new View<>(root, loader.getController());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load view " + fxml + ": " + e.getMessage(), e);
        }
    }

    public Callback<Class<?>, Object> controllerFactory() {
        return type -> {
            Constructor<?> ctor = Arrays.stream(type.getConstructors())
                    .max(Comparator.comparingInt(Constructor::getParameterCount))
                    .orElseThrow(() -> new IllegalStateException(type.getName() + " has no public constructor"));
            Object[] args = new Object[ctor.getParameterCount()];
            Class<?>[] types = ctor.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                Object c = components.get(types[i]);
                if (c == null) {
                    throw new IllegalStateException("Presenter " + type.getSimpleName() + " needs a " + types[i].getSimpleName()
                            + ", which is not a known component");
                }
                args[i] = c;
            }
            try {
                return ctor.newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot create presenter " + type.getName(), e);
            }
        };
    }
}
