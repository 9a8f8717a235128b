package io.stowage.internal.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a YAML document into flat entries: each scalar or list of scalars with its key path as
 * written and its line. Values stay text; typing happens later. Syntax errors are reported with
 * line and column but without the source snippet, which could show a secret.
 */
final class YamlReader {
  private YamlReader() {}

  /**
   * A leaf of the document.
   *
   * @param segments the key path as written
   * @param value null, the scalar's text, a list of texts, or a {@link Values.Shape}
   * @param line the 1-based line of the key
   */
  record RawEntry(List<String> segments, Object value, int line) {}

  /** The entries of a document and the structural problems found in it. */
  record Document(List<RawEntry> entries, List<String> problems) {}

  /**
   * Reads a document.
   *
   * @param source the name used in problems (a file path)
   * @param text the document
   * @return the entries and problems
   */
  static Document read(String source, String text) {
    List<RawEntry> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true);
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(1 << 20);
    Node root;
    try {
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      problems.add(syntax(source, e));
      return new Document(entries, problems);
    } catch (YAMLException e) {
      problems.add(source + ": not valid YAML: " + firstLine(e.getMessage()));
      return new Document(entries, problems);
    }
    if (root == null || isNull(root)) {
      return new Document(entries, problems);
    }
    if (!(root instanceof MappingNode mapping)) {
      problems.add(source + ":" + line(root) + ": the document must be a mapping of keys such as"
          + " stowage: or rexray:, not " + describe(root));
      return new Document(entries, problems);
    }
    walk(source, mapping, List.of(), entries, problems);
    return new Document(entries, problems);
  }

  private static void walk(String source, MappingNode mapping, List<String> parent,
      List<RawEntry> entries, List<String> problems) {
    Map<String, String> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      Node valueNode = tuple.getValueNode();
      int line = line(keyNode);
      if (!(keyNode instanceof ScalarNode scalarKey) || scalarKey.getValue().isBlank()) {
        problems.add(source + ":" + line + ": a key below "
            + (parent.isEmpty() ? "the document root" : String.join(".", parent))
            + " is not a plain name");
        continue;
      }
      String key = scalarKey.getValue().strip();
      List<String> path = new ArrayList<>(parent);
      path.add(key);
      String before = seen.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
      if (before != null) {
        problems.add(source + ":" + line + ": " + String.join(".", path) + " is given twice"
            + (before.equals(key) ? "" : " (keys ignore case: " + before + " and " + key + ")"));
        continue;
      }
      if (valueNode instanceof MappingNode child) {
        if (child.getValue().isEmpty()) {
          entries.add(new RawEntry(List.copyOf(path), null, line));
        } else {
          walk(source, child, path, entries, problems);
        }
      } else {
        entries.add(new RawEntry(List.copyOf(path), value(valueNode), line));
      }
    }
  }

  private static Object value(Node node) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    if (node instanceof SequenceNode sequence) {
      List<String> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (!(item instanceof ScalarNode scalar) || isNull(item)) {
          return Values.Shape.NESTED_LIST;
        }
        items.add(scalar.getValue());
      }
      return List.copyOf(items);
    }
    return Values.Shape.MAPPING;
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
  }

  private static String describe(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "a single value";
  }

  private static String syntax(String source, MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String where = mark == null ? source
        : source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    StringBuilder reason = new StringBuilder();
    if (e.getContext() != null) {
      reason.append(e.getContext());
    }
    if (e.getProblem() != null) {
      if (!reason.isEmpty()) {
        reason.append(": ");
      }
      reason.append(e.getProblem());
    }
    String line = mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column "
        + (mark.getColumn() + 1) + ")";
    return where + ": malformed YAML" + line + ": " + firstLine(reason.toString());
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unknown error";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
