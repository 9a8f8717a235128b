package io.stowage.internal.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a YAML document into flat entries: each scalar or list of scalars with its key path as
 * written and its line. Values stay text; typing happens later. Syntax errors are reported with
 * line and column but without the source snippet, which could show a secret.
 *
 * <p>A document is bounded before and while it is read, each limit with its own message: at
 * most {@link #MAX_CHARS} characters, lines of at most {@link #MAX_LINE} characters (SnakeYAML
 * rescans a line once per kilobyte, so this keeps reading linear), nesting at most
 * {@link #MAX_DEPTH} levels deep, at most {@link #MAX_ALIASES} aliases of mappings or lists, at
 * most {@link #MAX_KEYS} keys once aliases are expanded (an alias of a mapping that holds it
 * expands forever), and keys of at most {@link #MAX_KEY} characters.
 */
final class YamlReader {
  /** The most characters of a document: as many as the bytes of the largest file. */
  static final int MAX_CHARS = ConfigFile.MAX_BYTES;
  /** The longest line. */
  static final int MAX_LINE = 64 * 1024;
  /** The deepest nesting of mappings and lists. */
  static final int MAX_DEPTH = 32;
  /** The most aliases of mappings or lists. */
  static final int MAX_ALIASES = 50;
  /** The most keys, counting those an alias repeats. */
  static final int MAX_KEYS = 2000;
  /** The longest key. */
  static final int MAX_KEY = 256;

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
    String refused = checkText(source, text);
    if (refused != null) {
      problems.add(refused);
      return new Document(entries, problems);
    }
    Node root;
    try {
      LoaderOptions options = options();
      Parser parser = new BoundedParser(source,
          new ParserImpl(new StreamReader(new StringReader(text)), options));
      root = new Composer(parser, new Resolver(), options).getSingleNode();
    } catch (BoundedParser.Exceeded e) {
      problems.add(e.getMessage());
      return new Document(entries, problems);
    } catch (YAMLException e) {
      problems.add(malformed(source, text, e));
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
    new Walk(source, entries, problems).mapping(mapping, List.of());
    return new Document(entries, problems);
  }

  /** SnakeYAML's own limits sit above ours, as a second line of defence. */
  private static LoaderOptions options() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true);
    options.setMaxAliasesForCollections(MAX_ALIASES + 1);
    options.setNestingDepthLimit(MAX_DEPTH + 2);
    options.setCodePointLimit(MAX_CHARS + 1);
    return options;
  }

  /** Refuses a document that is too large or has a line too long, before parsing it. */
  private static String checkText(String source, String text) {
    if (text.length() > MAX_CHARS) {
      return source + ": the document is larger than 1 MiB, the most Stowage reads";
    }
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i == text.length() ? '\n' : text.charAt(i);
      if (c == '\n' || c == '\r') {
        if (i - start > MAX_LINE) {
          return source + ":" + line + ": line " + line + " is longer than " + MAX_LINE
              + " characters, the most Stowage reads; break it up";
        }
        if (c == '\n' || i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
          line++;
        }
        start = i + 1;
      }
    }
    return null;
  }

  /**
   * Hands the parser's events on to the composer, refusing a document that nests too deep or
   * has too many aliases of mappings or lists before anything is built from it.
   */
  private static final class BoundedParser implements Parser {
    /** A limit the document exceeds, as a message for the user. */
    static final class Exceeded extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Exceeded(String message) {
        super(message, null, false, false);
      }
    }

    private final String source;
    private final Parser parser;
    private final Set<String> collectionAnchors = new HashSet<>();
    private int depth;
    private int aliases;

    BoundedParser(String source, Parser parser) {
      this.source = source;
      this.parser = parser;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return parser.peekEvent();
    }

    @Override
    public Event getEvent() {
      Event event = parser.getEvent();
      if (event instanceof CollectionStartEvent start) {
        if (++depth > MAX_DEPTH) {
          throw new Exceeded(source + ":" + line(event.getStartMark())
              + ": the document nests deeper than " + MAX_DEPTH + " levels, the most Stowage"
              + " reads");
        }
        if (start.getAnchor() != null) {
          collectionAnchors.add(start.getAnchor());
        }
      } else if (event instanceof CollectionEndEvent) {
        depth--;
      } else if (event instanceof AliasEvent alias
          && collectionAnchors.contains(alias.getAnchor()) && ++aliases > MAX_ALIASES) {
        throw new Exceeded(source + ":" + line(event.getStartMark()) + ": the document has"
            + " more than " + MAX_ALIASES + " aliases of mappings or lists, the most Stowage"
            + " reads");
      }
      return event;
    }
  }

  /** Walks the mappings of a document, bounded in depth and in keys. */
  private static final class Walk {
    private final String source;
    private final List<RawEntry> entries;
    private final List<String> problems;
    private int keys;
    private boolean stopped;

    Walk(String source, List<RawEntry> entries, List<String> problems) {
      this.source = source;
      this.entries = entries;
      this.problems = problems;
    }

    void mapping(MappingNode mapping, List<String> parent) {
      if (parent.size() >= MAX_DEPTH) {
        stop(source + ":" + line(mapping) + ": " + String.join(".", parent.subList(0, 3))
            + "... nests deeper than " + MAX_DEPTH + " levels, the most Stowage reads (does an"
            + " alias refer to a mapping that holds it?)");
        return;
      }
      Map<String, String> seen = new HashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        if (stopped) {
          return;
        }
        if (++keys > MAX_KEYS) {
          stop(source + ": the document has more than " + MAX_KEYS + " keys once its aliases"
              + " are expanded, the most Stowage reads");
          return;
        }
        key(tuple, parent, seen);
      }
    }

    private void key(NodeTuple tuple, List<String> parent, Map<String, String> seen) {
      Node keyNode = tuple.getKeyNode();
      Node valueNode = tuple.getValueNode();
      int line = line(keyNode);
      String where = parent.isEmpty() ? "the document root" : String.join(".", parent);
      if (!(keyNode instanceof ScalarNode scalarKey) || scalarKey.getValue().isBlank()) {
        problems.add(source + ":" + line + ": a key below " + where + " is not a plain name;"
            + " write keys as plain words such as preempt");
        return;
      }
      String key = scalarKey.getValue().strip();
      if (key.length() > MAX_KEY) {
        problems.add(source + ":" + line + ": a key below " + where + " is longer than "
            + MAX_KEY + " characters, the most Stowage reads");
        return;
      }
      List<String> path = new ArrayList<>(parent);
      path.add(key);
      String before = seen.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
      if (before != null) {
        problems.add(source + ":" + line + ": " + String.join(".", path) + " is given twice"
            + (before.equals(key) ? "" : " (keys ignore case: " + before + " and " + key + ")")
            + "; keep one");
        return;
      }
      if (valueNode instanceof MappingNode child) {
        if (child.getValue().isEmpty()) {
          entries.add(new RawEntry(List.copyOf(path), null, line));
        } else {
          mapping(child, path);
        }
      } else {
        entries.add(new RawEntry(List.copyOf(path), value(valueNode), line));
      }
    }

    private void stop(String problem) {
      if (!stopped) {
        problems.add(problem);
        stopped = true;
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
    return line(node.getStartMark());
  }

  private static int line(Mark mark) {
    return mark == null ? 1 : mark.getLine() + 1;
  }

  private static String describe(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "a single value";
  }

  /** Describes a document SnakeYAML cannot read, with its place but without its text. */
  private static String malformed(String source, String text, YAMLException e) {
    if (e instanceof MarkedYAMLException marked) {
      return syntax(source, marked);
    }
    if (e instanceof ReaderException reader) {
      int line = lineAt(text, reader.getPosition());
      return source + ":" + line + ": line " + line + " holds the character U+"
          + String.format(Locale.ROOT, "%04X", reader.getCodePoint())
          + ", which YAML does not allow; a configuration file is plain text";
    }
    return source + ": not valid YAML: " + firstLine(e.getMessage());
  }

  /** The 1-based line of a character offset (counted in code points, as SnakeYAML does). */
  private static int lineAt(String text, int codePoints) {
    int line = 1;
    int end = text.offsetByCodePoints(0, Math.min(codePoints, text.codePointCount(0,
        text.length())));
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
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
