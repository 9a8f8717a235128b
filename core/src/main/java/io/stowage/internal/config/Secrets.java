package io.stowage.internal.config;

import io.stowage.exception.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values of one configuration, and how text that may hold them is shown. A value is
 * a secret when its key names one: declared {@link io.stowage.spi.Secret} by its driver, or
 * named like a password, secret or token. Besides, the password of any URL
 * ({@code http://user:password@host}) is a secret wherever it appears, also where the value
 * that held the URL shows changed. Immutable.
 *
 * <p>A value that holds a secret is shown as {@link #MASK}; in a message, every secret in it is
 * replaced by {@link #MASK}. A secret of {@value #SHORT} characters or fewer is too short to be
 * looked for in running text (a one-letter password would mask that letter in every word): it
 * masks a value it stands in as a word of its own, and a value of its own key is masked by the
 * key, but messages are not searched for it.
 */
final class Secrets {
  /** What a secret shows as. */
  static final String MASK = SectionKeys.MASK;

  /** The length up to which a secret is not looked for in messages. */
  static final int SHORT = 3;

  /**
   * The authority of a URL: what follows {@code scheme://} up to the path. The scheme is at
   * most 32 characters long, so that finding URLs in a long text takes time in proportion to
   * its length (an unbounded scheme is tried from every letter of a long word).
   */
  private static final Pattern AUTHORITY =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]{0,31}://([^/?#\\s\"]*)");

  /** Longest first, so that a secret containing another is masked whole. */
  private final List<String> secrets;
  /** The short secrets as whole words. */
  private final List<Pattern> words;
  /**
   * The passwords of the URLs among all values, longest first: masked also where a value
   * shows changed and its URL no longer reads as one (a path that lost a slash of its
   * {@code ://}).
   */
  private final List<String> urlPasswords;

  private Secrets(List<String> secrets, List<String> urlPasswords) {
    this.secrets = secrets.stream().filter(s -> s.length() > SHORT).toList();
    this.words = secrets.stream().filter(s -> s.length() <= SHORT)
        .map(s -> Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(s)
            + "(?![\\p{L}\\p{N}])")).toList();
    this.urlPasswords = urlPasswords;
  }

  /**
   * Returns the secrets among these values, and the passwords of the URLs among all values.
   *
   * @param values the values of keys that name secrets: text, or lists of text
   * @param allValues every value of the configuration: text, lists of text, or anything else
   * @return the secrets
   */
  static Secrets of(Collection<?> values, Collection<?> allValues) {
    TreeSet<String> passwords = new TreeSet<>(Comparator.comparingInt(String::length)
        .reversed().thenComparing(Comparator.naturalOrder()));
    allValues.forEach(v -> passwordsOfUrls(v).stream().filter(p -> p.length() > SHORT)
        .forEach(passwords::add));
    return new Secrets(texts(values), List.copyOf(passwords));
  }

  /** The secret texts among the values, longest first. */
  private static List<String> texts(Collection<?> values) {
    TreeSet<String> texts = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
        .thenComparing(Comparator.naturalOrder()));
    for (Object value : values) {
      Collection<?> items = value instanceof Collection<?> list ? list : List.of(value);
      for (Object item : items) {
        if (item instanceof String text) {
          add(texts, text);
          add(texts, text.strip());
        }
      }
    }
    return List.copyOf(texts);
  }

  /** Adds a secret as written and as error messages quote it, escaped and cut short. */
  private static void add(TreeSet<String> texts, String text) {
    if (!text.isBlank()) {
      texts.add(text);
      String quoted = InvalidArgumentException.quote(text);
      String escaped = quoted.substring(1, quoted.length() - 1);
      texts.add(escaped.endsWith("...") && !text.endsWith("...")
          ? escaped.substring(0, escaped.length() - 3) : escaped);
    }
  }

  /**
   * Shows a value: {@link #MASK} when it holds a secret, else the value with URL passwords
   * masked.
   *
   * @param value the value as text
   * @return what may be shown
   */
  String show(String value) {
    for (String secret : secrets) {
      if (value.contains(secret)) {
        return MASK;
      }
    }
    for (Pattern word : words) {
      if (word.matcher(value).find()) {
        return MASK;
      }
    }
    return maskChangedUrls(maskUrlPasswords(value));
  }

  /**
   * Shows a value in a message: quoted, or {@link #MASK} when it holds a secret.
   *
   * @param value the value as text
   * @return what the message may hold
   */
  String quoted(String value) {
    String shown = show(value);
    return shown.equals(MASK) ? MASK : InvalidArgumentException.quote(shown);
  }

  /**
   * Masks every secret longer than {@value #SHORT} characters in a message, and every URL
   * password.
   *
   * @param message the message
   * @return the message as it may be shown
   */
  String scrub(String message) {
    String out = message;
    for (String secret : secrets) {
      out = out.replace(secret, MASK);
    }
    return maskChangedUrls(maskUrlPasswords(out));
  }

  /** Masks the URL passwords left in a text whose URLs were masked: those of changed URLs. */
  private String maskChangedUrls(String text) {
    String out = text;
    for (String password : urlPasswords) {
      out = out.replace(password, MASK);
    }
    return out;
  }

  /**
   * Returns the passwords of the URLs in a value (text, or a list of text), to be masked as
   * secrets: also where the value shows changed, as a path that lost a slash of its
   * {@code ://}.
   *
   * @param value a value as read
   * @return the passwords, none if it holds no URL with one
   */
  static List<String> passwordsOfUrls(Object value) {
    Collection<?> items = value instanceof Collection<?> list ? list
        : value == null ? List.of() : List.of(value);
    List<String> passwords = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof String text && text.contains("://")) {
        Matcher m = AUTHORITY.matcher(text);
        while (m.find()) {
          String authority = m.group(1);
          int at = authority.lastIndexOf('@');
          int colon = at < 0 ? -1 : authority.indexOf(':');
          if (colon >= 0 && colon + 1 < at) {
            passwords.add(authority.substring(colon + 1, at));
          }
        }
      }
    }
    return passwords;
  }

  /** Masks the password of every URL in a text: {@code http://user:****@host}. */
  static String maskUrlPasswords(String text) {
    if (!text.contains("://")) {
      return text;
    }
    Matcher m = AUTHORITY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String authority = m.group(1);
      int at = authority.lastIndexOf('@');
      int colon = at < 0 ? -1 : authority.indexOf(':');
      String shown = colon < 0 || colon > at || colon + 1 == at ? m.group()
          : m.group().substring(0, m.start(1) - m.start()) + authority.substring(0, colon + 1)
              + MASK + authority.substring(at);
      m.appendReplacement(out, Matcher.quoteReplacement(shown));
    }
    m.appendTail(out);
    return out.toString();
  }
}
