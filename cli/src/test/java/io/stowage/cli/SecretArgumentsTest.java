package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretArgumentsTest {
  @Test
  void masksTheValuesOfSecretKeysOnly() {
    assertEquals("Unknown options: '--opt', 'encryptionkey=****'",
        SecretArguments.mask("Unknown options: '--opt', 'encryptionkey=abc'", List.of()));
    assertEquals("'--set=ebs.secretKey=****' and --set=virtualbox.password=****",
        SecretArguments.mask("'--set=ebs.secretKey=a=b' and --set=virtualbox.password=p",
            List.of()));
    assertEquals("size=1,encryptionKey=**** 'iops=2'",
        SecretArguments.mask("size=1,encryptionKey=k 'iops=2'", List.of()));
    assertEquals("--caller=x --set=fake.root=/tmp/x --set=fake.root=secret",
        SecretArguments.mask("--caller=x --set=fake.root=/tmp/x --set=fake.root=secret",
            List.of()));
  }

  @Test
  void masksASecretWithSpacesOrCommasWholeWhereTheMessageRepeatsItsArgument() {
    List<String> args = List.of("--set=virtualbox.password=two words,and more", "--opt",
        "size=1,encryptionkey=k e y,iops=2");
    assertEquals("Unmatched arguments: '--set=virtualbox.password=****', 'size=1,"
            + "encryptionkey=****'",
        SecretArguments.mask("Unmatched arguments: '--set=virtualbox.password=two words,and "
            + "more', 'size=1,encryptionkey=k e y,iops=2'", args));
  }

  @Test
  void masksASecretOfTheCommandLineAlsoAsTheValueOfAnotherKeyAndEveryUrlPassword() {
    List<String> args = List.of("--set=ebs.secretKey=s3cr3t", "--set", "fake.root=s3cr3t",
        "--set", "virtualbox.endpoint=http://admin:pw@host:18083", "--set", "x=abc");
    assertEquals("Unknown options: '--set', 'fake.root=****', '--set', "
            + "'virtualbox.endpoint=http://admin:****@host:18083', 'x=abc'",
        SecretArguments.mask("Unknown options: '--set', 'fake.root=s3cr3t', '--set', "
            + "'virtualbox.endpoint=http://admin:pw@host:18083', 'x=abc'", args));
    assertEquals("'x=abc' 'http://u@host' 'http://u:@host'",
        SecretArguments.mask("'x=abc' 'http://u@host' 'http://u:@host'",
            List.of("--set=ebs.secretKey=abc")));
  }
}
