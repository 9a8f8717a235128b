package io.stowage.cli;

import io.stowage.spi.DriverConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets of a command line in a message that repeats its arguments, as the parsers'
 * usage errors do ("Unknown options: '--opt', 'encryptionkey=...'"), the way the configuration
 * masks its own. A secret is the value of a {@code key=value} whose key is named like a secret
 * (as a driver's settings are, see {@link DriverConfig#looksSecret}) or is the volume option
 * {@code encryptionkey}, and the password of a URL ({@code http://user:password@host}); it
 * shows as {@code ****}, also where it stands as the value of another key. Stateless.
 */
public final class SecretArguments {
  private static final String MASK = "****";
  /** The length up to which a secret is not looked for in running text, as in the config. */
  private static final int SHORT = 3;
  /** A run of characters that can be part of one argument as the parsers quote it. */
  private static final Pattern WORD = Pattern.compile("[^\\s'\",\\[\\]]+");
  /** A URL up to its password, and the password up to the '@' before the host. */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]{0,31}://[^/?#\\s'\"@:]*:)[^/?#\\s'\"@]+@");

  private SecretArguments() {}

  /**
   * Returns the message with its secrets masked: every argument that holds a secret, from the
   * secret to the argument's end (so that a value with spaces or commas is masked whole);
   * every value of a secret key of the command line wherever it appears; every secret
   * {@code key=value} word; and every URL password.
   *
   * @param message a message that may repeat arguments
   * @param args the command line the message is about
   * @return the message, secrets masked
   */
  public static String mask(String message, List<String> args) {
    String out = message;
    List<String> secrets = new ArrayList<>();
    List<String> longestFirst = args.stream()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    for (String arg : longestFirst) {
      int eq = secretEquals(arg);
      if (eq >= 0) {
        out = out.replace(arg, arg.substring(0, eq + 1) + MASK);
        String value = arg.substring(eq + 1);
        secrets.add(value);
        secrets.add(value.split(",", -1)[0]);
      }
    }
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    for (String secret : secrets) {
      if (secret.strip().length() > SHORT) {
        out = out.replace(secret, MASK);
      }
    }
    Matcher m = WORD.matcher(out);
    StringBuilder words = new StringBuilder();
    while (m.find()) {
      String word = m.group();
      int eq = secretEquals(word);
      m.appendReplacement(words, Matcher.quoteReplacement(eq < 0 ? word
          : word.substring(0, eq + 1) + MASK));
    }
    m.appendTail(words);
    return URL_PASSWORD.matcher(words).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
  }

  /**
   * In {@code a=b,key=c=d}, the position of the first '=' that follows a secret key, or -1; a
   * key is what precedes that '=' back to the last '.', ',' or '=', leading dashes left out.
   */
  private static int secretEquals(String text) {
    int from = 0;
    for (int eq = text.indexOf('='); eq >= 0; eq = text.indexOf('=', eq + 1)) {
      String key = text.substring(from, eq);
      int start = Math.max(key.lastIndexOf('.'), key.lastIndexOf(',')) + 1;
      String last = key.substring(start).replaceFirst("^-+", "");
      if (!last.isEmpty() && (DriverConfig.looksSecret(last)
          || last.toLowerCase(Locale.ROOT).equals("encryptionkey"))) {
        return eq;
      }
      from = eq + 1;
    }
    return -1;
  }
}
