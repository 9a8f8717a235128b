package io.stowage;

import io.stowage.exception.DriverNotFoundException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.spi.StorageDriverProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage driver providers a program can use: those found through
 * {@link ServiceLoader}, those passed explicitly, or both. Each provider is loaded on its own,
 * so one broken jar cannot hide the others; what failed to load is kept in
 * {@link #problems()}. Immutable and thread-safe.
 */
public final class DriverRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DriverRegistry.class);

  private final Map<String, List<StorageDriverProvider>> byName;
  private final List<String> problems;

  private DriverRegistry(Collection<StorageDriverProvider> providers, List<String> problems) {
    Map<String, List<StorageDriverProvider>> map = new TreeMap<>();
    for (StorageDriverProvider provider : providers) {
      StorageDriverProvider.requireValidName(provider.name());
      map.computeIfAbsent(provider.name(), n -> new ArrayList<>()).add(provider);
    }
    map.replaceAll((name, list) -> List.copyOf(list));
    this.byName = java.util.Collections.unmodifiableMap(map);
    this.problems = List.copyOf(problems);
  }

  /**
   * Finds the providers registered under
   * {@code META-INF/services/io.stowage.spi.StorageDriverProvider}.
   *
   * @param classLoader the class loader to search
   * @return the registry
   */
  public static DriverRegistry discover(ClassLoader classLoader) {
    return discoverWith(classLoader, List.of());
  }

  /**
   * Uses exactly the given providers, without discovery.
   *
   * @param providers the providers
   * @return the registry
   * @throws io.stowage.exception.InvalidArgumentException when a provider's name breaks
   *     {@link StorageDriverProvider#NAME_RULE}
   */
  public static DriverRegistry of(Collection<? extends StorageDriverProvider> providers) {
    return new DriverRegistry(List.copyOf(providers), List.of());
  }

  /**
   * Finds the registered providers and adds explicit ones. An explicit provider replaces a
   * discovered one of the same class.
   *
   * @param classLoader the class loader to search
   * @param explicit providers to add
   * @return the registry
   * @throws io.stowage.exception.InvalidArgumentException when an explicit provider's name
   *     breaks {@link StorageDriverProvider#NAME_RULE}; a discovered one is left out and listed
   *     in {@link #problems()}
   */
  public static DriverRegistry discoverWith(ClassLoader classLoader,
      Collection<? extends StorageDriverProvider> explicit) {
    Map<Class<?>, StorageDriverProvider> providers = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Iterator<StorageDriverProvider> it =
        ServiceLoader.load(StorageDriverProvider.class, classLoader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        StorageDriverProvider provider = it.next();
        StorageDriverProvider.requireValidName(provider.name());
        providers.put(provider.getClass(), provider);
      } catch (InvalidArgumentException e) {
        problems.add("a storage driver provider was left out: " + e.getMessage());
        LOG.warn("A storage driver provider was left out: {}", e.getMessage());
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        // The iterator moves on to the next provider after a failure.
        problems.add("a storage driver provider failed to load: " + e);
        LOG.warn("A storage driver provider failed to load; the others are still used", e);
      }
    }
    for (StorageDriverProvider provider : explicit) {
      providers.put(provider.getClass(), Objects.requireNonNull(provider, "provider"));
    }
    return new DriverRegistry(providers.values(), problems);
  }

  /**
   * Returns the names of the installed drivers.
   *
   * @return the names, sorted
   */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /**
   * Returns every installed provider.
   *
   * @return the providers, sorted by name
   */
  public List<StorageDriverProvider> providers() {
    return byName.values().stream().flatMap(List::stream).toList();
  }

  /**
   * Returns the provider of a driver.
   *
   * @param name the driver name
   * @return the provider
   * @throws DriverNotFoundException when none, or more than one, is installed under the name
   */
  public StorageDriverProvider provider(String name) {
    List<StorageDriverProvider> found = byName.get(name);
    if (found == null) {
      throw DriverNotFoundException.notInstalled(name, names());
    }
    if (found.size() > 1) {
      throw new DriverNotFoundException(name, names(), "storage driver name \"" + name
          + "\" is claimed by " + found.size() + " providers: "
          + found.stream().map(p -> p.getClass().getName()).toList()
          + "; remove all but one from the class path");
    }
    return found.get(0);
  }

  /**
   * Returns what failed while discovering providers.
   *
   * @return one line per provider that could not be loaded
   */
  public List<String> problems() {
    return problems;
  }
}
