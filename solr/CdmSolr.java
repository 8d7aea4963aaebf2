// Starts a standalone Apache Solr 9 for ckanext-cdm from the jars on Maven
// Central (see solr/pom.xml), without Docker and without the Solr tarball.
//
//   java -Xmx512m -cp 'LIB/*' solr/CdmSolr.java SOLR_HOME [PORT]
//
// Java 17 runs this single source file directly; nothing is compiled to disk.
// SOLR_HOME holds solr.xml and one folder per core (core.properties + conf/),
// as scripts/solr.sh lays it out. Solr listens on http://127.0.0.1:PORT/solr
// only: JettySolrRunner hard-codes the host 127.0.0.1 for its connector.
//
// Exit status: 143 (130) after a clean stop on SIGTERM (SIGINT), the JVM's
// usual codes, once the shutdown hook has stopped Solr; 1 when Solr cannot
// start; 2 when Solr started but a core failed to load (Solr itself would only
// log that and keep serving the other cores; here it is fatal, so that the
// script waiting for the cores fails at once with the reason in the log).

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.solr.core.CoreContainer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class CdmSolr {

  private static void say(String msg) {
    System.out.println("CdmSolr: " + msg);
    System.out.flush();
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: java -cp 'lib/*' CdmSolr.java SOLR_HOME [PORT]");
      System.exit(64);
    }
    Path home = Path.of(args[0]).toAbsolutePath().normalize();
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8983;
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      System.err.println("CdmSolr: no solr.xml in " + home);
      System.exit(1);
    }

    // Must be set before the first Solr/Jetty class (and so Log4j) loads.
    // No log4j2.xml is shipped in these jars: Log4j's default configuration
    // writes to stdout (the script sends it to the log file) at this level.
    String level = System.getenv("CDM_SOLR_LOG_LEVEL");
    setDefault("log4j2.level", level == null || level.isEmpty() ? "WARN" : level);
    // Keep logging alive while our own shutdown hook stops Solr.
    setDefault("log4j2.shutdownHookEnabled", "false");
    setDefault("solr.solr.home", home.toString());
    // Solr's logging setup asks for a log directory (solr.sh passes its own);
    // with an install dir Solr adds <home>/lib to the shared class path
    // instead of warning that it cannot. Neither folder needs to exist.
    setDefault("solr.log.dir", home.getParent().toString());
    setDefault("solr.install.dir", home.getParent().toString());
    // Paths that cores may use; the home is enough.
    setDefault("solr.allowPaths", home.toString());

    JettyConfig config = JettyConfig.builder()
        .setPort(port)              // context stays the default "/solr"
        .stopAtShutdown(false)      // our hook below stops it, once
        .withPortRetryTime(5)       // port taken: fail after 5 s, not 60 s
        .waitForLoadingCoresToFinish(120_000L)
        .build();
    // JettySolrRunner(String solrHome, Properties nodeProperties, JettyConfig)
    JettySolrRunner runner = new JettySolrRunner(home.toString(), new Properties(), config);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      say("stopping");
      try {
        if (runner.isRunning()) runner.stop();
        say("stopped");
      } catch (Exception e) {
        System.err.println("CdmSolr: error while stopping: " + e);
      } finally {
        stopped.countDown();
        org.apache.logging.log4j.LogManager.shutdown();
      }
    }, "cdm-solr-shutdown"));

    try {
      runner.start();   // returns once the cores have loaded (or failed)
    } catch (Exception e) {
      System.err.println("CdmSolr: Solr failed to start on 127.0.0.1:" + port + ": " + e);
      e.printStackTrace();
      System.exit(1);
    }

    CoreContainer cores = runner.getCoreContainer();
    if (cores == null) {
      System.err.println("CdmSolr: Solr started without a core container (see errors above)");
      System.exit(1);
    }
    Map<String, CoreContainer.CoreLoadFailure> failures = cores.getCoreInitFailures();
    if (!failures.isEmpty()) {
      for (Map.Entry<String, CoreContainer.CoreLoadFailure> f : failures.entrySet()) {
        Throwable root = f.getValue().exception;
        System.err.println("CdmSolr: core '" + f.getKey() + "' failed to load: " + root);
        while (root.getCause() != null) {
          root = root.getCause();
          System.err.println("CdmSolr:   caused by: " + root);
        }
      }
      System.exit(2);
    }

    say("Solr " + org.apache.solr.client.api.util.SolrVersion.LATEST + " ready on http://127.0.0.1:"
        + runner.getLocalPort() + "/solr, home " + home + ", cores " + cores.getLoadedCoreNames());
    stopped.await();    // until SIGTERM/SIGINT runs the hook
  }
}
