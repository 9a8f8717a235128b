package io.stowage.site;

import io.stowage.internal.config.CoreSettings;
import io.stowage.model.Capability;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriverProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reference part of a driver's page, written from what its provider declares: name,
 * section and its aliases, hosts, volume IDs, extra volume options, capabilities, and each
 * setting with its type, default, environment variables and the description its settings
 * record's javadoc gives.
 */
final class DriverReference {
  private final Path repository;

  DriverReference(Path repository) {
    this.repository = repository;
  }

  /** Returns the Markdown of a provider's reference section, at heading level 2. */
  String markdown(StorageDriverProvider provider) {
    String name = provider.name();
    List<String> roots = Stream.concat(Stream.of(name), provider.sectionAliases().stream())
        .toList();
    StringBuilder md = new StringBuilder();
    md.append("## Reference\n\n")
        .append("Generated from what `").append(provider.getClass().getName())
        .append("` declares when the site is built.\n\n")
        .append("| | |\n|---|---|\n")
        .append("| Driver name | `").append(name).append("` |\n")
        .append("| Section | ").append(roots.stream().map(r -> "`" + r + ":`")
            .collect(Collectors.joining(", "))).append(" |\n")
        .append("| Hosts | ").append(provider.hostKinds().stream().map(DriverReference::host)
            .sorted().collect(Collectors.joining(", "))).append(" |\n")
        .append("| Volume IDs | ").append(provider.volumeIdPattern()
            .map(p -> "`" + p.pattern().replace("|", "\\|") + "` (a name of this shape is"
                + " refused)").orElse("any shape")).append(" |\n")
        .append("| Extra volume options | ").append(provider.volumeOptionKeys().isEmpty()
            ? "none" : new TreeSet<>(provider.volumeOptionKeys()).stream()
                .map(k -> "`" + k + "`").collect(Collectors.joining(", "))).append(" |\n");

    Map<String, String> capabilityDocs = Javadoc.enumConstants(source(Capability.class));
    md.append("\n### Capabilities\n\n| Capability | | What it allows |\n|---|---|---|\n");
    Set<Capability> declared = provider.capabilities();
    for (Capability c : Capability.values()) {
      md.append("| `").append(c.name()).append("` | ")
          .append(declared.contains(c) ? "yes" : "no").append(" | ")
          .append(capabilityDocs.getOrDefault(c.name(), "")).append(" |\n");
    }

    Class<? extends Record> type = provider.settingsType();
    Map<String, String> docs = Javadoc.recordComponents(source(type), type.getSimpleName());
    md.append("\n### Settings\n\n")
        .append("Keys of the `").append(name).append(":` section, matched without regard to")
        .append(" case, `_` and `-` ([how sections work](../configuration.md#driver-sections)).")
        .append(" Each can be set with the environment variable shown")
        .append(roots.size() > 1 ? " (under an alias, only the keys listed here are read)" : "")
        .append(", or with `--set ").append(name).append(".<key>=...`.\n\n")
        .append("| Key | Value | Default | Environment | Meaning |\n|---|---|---|---|---|\n");
    for (DriverConfig.Setting s : DriverConfig.settingsOf(type)) {
      String description = docs.get(s.key());
      if (description == null) {
        throw new SiteException(type.getName() + " has no @param for " + s.key());
      }
      String env = roots.stream().map(r -> "`" + environmentVariable(r, s.key()) + "`")
          .collect(Collectors.joining("<br/>"));
      md.append("| `").append(s.key()).append("` | ").append(s.type().replace("|", "\\|"))
          .append(" | ")
          .append(s.defaultValue().map(d -> "`" + d + "`")
              .orElse(s.required() ? "**required**" : "unset"))
          .append(s.secret() ? " (secret, never shown)" : "").append(" | ").append(env)
          .append(" | ").append(description).append(" |\n");
    }
    return md.toString();
  }

  /** Returns the environment variable of a key of a section under one of its roots. */
  static String environmentVariable(String root, String key) {
    return CoreSettings.environmentVariable(root) + "_" + key.toUpperCase(Locale.ROOT);
  }

  private static String host(HostOs.Kind kind) {
    return switch (kind) {
      case LINUX -> "Linux";
      case SIMULATED -> "`SimulatedHost` (tests without root)";
    };
  }

  /** Returns the source of a top-level or nested type, found under a module's sources. */
  private String source(Class<?> type) {
    Class<?> top = type;
    while (top.getEnclosingClass() != null) {
      top = top.getEnclosingClass();
    }
    String relative = "src/main/java/" + top.getName().replace('.', '/') + ".java";
    try (Stream<Path> modules = Files.list(repository)) {
      Path file = modules.map(m -> m.resolve(relative)).filter(Files::isRegularFile)
          .findFirst().orElseThrow(() -> new SiteException("no source of " + type.getName()
              + " under " + repository + "/*/" + relative));
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
