package dev.streamgrad.layers;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The layer types job specs may name: every {@link LayerType} on the class path, found with
 * {@link ServiceLoader} (the built-in ones and those of extension jars), or a layer type's class
 * named in full in {@code layer.type}.
 */
public final class LayerRegistry {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
  private final Map<String, LayerType> types;
  private final ClassLoader loader;

  private LayerRegistry(Map<String, LayerType> types, ClassLoader loader) {
    this.types = types;
    this.loader = loader;
  }

  /** The layer types visible to this thread's context class loader (Flink's user-code loader in a job). */
  public static LayerRegistry load() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return load(loader != null ? loader : LayerRegistry.class.getClassLoader());
  }

  /**
   * The layer types {@code loader} sees.
   *
   * @throws IllegalStateException when a provider cannot be loaded or two providers claim a name
   */
  public static LayerRegistry load(ClassLoader loader) {
    Map<String, LayerType> types = new TreeMap<>();
    try {
      for (LayerType t : ServiceLoader.load(LayerType.class, loader)) {
        String name = t.name();
        if (name == null || !NAME.matcher(name).matches()) {
          throw new IllegalStateException("layer type " + t.getClass().getName() + " has an invalid name '" + name
              + "' (lowercase letters, digits and dashes, starting with a letter)");
        }
        LayerType other = types.putIfAbsent(name, t);
        if (other != null && other.getClass() != t.getClass()) {
          throw new IllegalStateException("layer type '" + name + "' is registered twice: by "
              + other.getClass().getName() + " and " + t.getClass().getName());
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("a layer type on the class path cannot be loaded: " + e.getMessage(), e);
    }
    return new LayerRegistry(types, loader);
  }

  /** The registered names, sorted. */
  public java.util.Set<String> names() {
    return types.keySet();
  }

  /**
   * Reads a {@code layer} mapping: its {@code type} names a registered layer type or, with a dot, a
   * {@link LayerType} class; the type reads the rest.
   */
  public LayerSpec read(Section section) throws SpecException {
    String name = section.requiredString("type");
    LayerType type = types.get(name);
    if (type == null && name.contains(".")) {
      type = byClassName(section, name);
    }
    if (type == null) {
      throw section.error("type", "unknown layer type '" + name + "' (expected one of: " + String.join(", ", names())
          + "; or the full class name of a dev.streamgrad.layers.LayerType; an extension's jar must be on the"
          + " class path, e.g. streamgrad run --jar my-layers.jar)");
    }
    return type.read(section, this);
  }

  private LayerType byClassName(Section section, String className) throws SpecException {
    try {
      Class<?> c = Class.forName(className, true, loader);
      if (!LayerType.class.isAssignableFrom(c)) {
        throw section.error("type", className + " is not a dev.streamgrad.layers.LayerType");
      }
      return (LayerType) c.getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      return null;
    } catch (ReflectiveOperationException | LinkageError e) {
      throw section.error("type", "cannot create " + className + ": " + e);
    }
  }
}
