/*
 * A Kafka-protocol mock cluster for tests, on librdkafka's rdkafka_mock.h (package librdkafka-dev).
 *
 *   kafka-mock [brokers=3]
 *
 * Prints `bootstrap <host:port,...>` on stdout once the cluster listens, then reads one command
 * per line on stdin and answers each with one line, `ok ...` or `error ...`:
 *
 *   down <brokerId|all>          disconnect a broker and refuse new connections (rd_kafka_mock_broker_set_down)
 *   up <brokerId|all>            accept connections again (rd_kafka_mock_broker_set_up)
 *   topic <name> <partitions>    create a topic with an exact partition count (rd_kafka_mock_topic_create)
 *   leader <topic> <partition> <brokerId>   move a partition's leader
 *   quit                         destroy the cluster and exit (so does end of input)
 *
 * Broker ids run from 1 to the broker count. Diagnostics go to stderr.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int broker_count = 3;

static void reply(const char *status, const char *detail) {
  fprintf(stdout, "%s %s\n", status, detail);
  fflush(stdout);
}

static int parse_broker(const char *arg, int *all) {
  *all = arg && strcmp(arg, "all") == 0;
  if (*all) return -1;
  if (!arg) return 0;
  char *end = NULL;
  long id = strtol(arg, &end, 10);
  if (*end != '\0' || id < 1 || id > broker_count) return 0;
  return (int)id;
}

static void set_broker(rd_kafka_mock_cluster_t *mcluster, const char *arg, int up) {
  int all = 0;
  int id = parse_broker(arg, &all);
  char detail[128];
  if (!all && id == 0) {
    snprintf(detail, sizeof detail, "broker id must be 1..%d or 'all'", broker_count);
    reply("error", detail);
    return;
  }
  int first = all ? 1 : id, last = all ? broker_count : id;
  for (int b = first; b <= last; b++) {
    rd_kafka_resp_err_t err = up ? rd_kafka_mock_broker_set_up(mcluster, b)
                                 : rd_kafka_mock_broker_set_down(mcluster, b);
    if (err) {
      snprintf(detail, sizeof detail, "broker %d: %s", b, rd_kafka_err2str(err));
      reply("error", detail);
      return;
    }
  }
  snprintf(detail, sizeof detail, "%s %s", up ? "up" : "down", arg);
  reply("ok", detail);
}

int main(int argc, char **argv) {
  char errstr[512];
  if (argc > 1) broker_count = atoi(argv[1]);
  if (broker_count < 1 || broker_count > 16) {
    fprintf(stderr, "kafka-mock: broker count must be 1..16\n");
    return 2;
  }
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The handle only keeps the cluster's books; it never connects anywhere. */
  if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "kafka-mock: %s\n", errstr);
    return 1;
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "kafka-mock: rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mcluster = rd_kafka_mock_cluster_new(rk, broker_count);
  if (!mcluster) {
    fprintf(stderr, "kafka-mock: could not create the mock cluster\n");
    rd_kafka_destroy(rk);
    return 1;
  }
  reply("bootstrap", rd_kafka_mock_cluster_bootstraps(mcluster));

  char line[1024];
  while (fgets(line, sizeof line, stdin)) {
    char *save = NULL;
    char *cmd = strtok_r(line, " \t\r\n", &save);
    if (!cmd) continue;
    char *a1 = strtok_r(NULL, " \t\r\n", &save);
    char *a2 = strtok_r(NULL, " \t\r\n", &save);
    char *a3 = strtok_r(NULL, " \t\r\n", &save);
    if (strcmp(cmd, "quit") == 0) {
      break;
    } else if (strcmp(cmd, "down") == 0) {
      set_broker(mcluster, a1, 0);
    } else if (strcmp(cmd, "up") == 0) {
      set_broker(mcluster, a1, 1);
    } else if (strcmp(cmd, "topic") == 0) {
      int partitions = a2 ? atoi(a2) : 0;
      if (!a1 || partitions < 1) {
        reply("error", "usage: topic <name> <partitions>");
        continue;
      }
      int replication = broker_count < 3 ? broker_count : 3;
      rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mcluster, a1, partitions, replication);
      if (err) reply("error", rd_kafka_err2str(err));
      else reply("ok", a1);
    } else if (strcmp(cmd, "leader") == 0) {
      int all = 0;
      int id = parse_broker(a3, &all);
      if (!a1 || !a2 || (!all && id == 0) || all) {
        reply("error", "usage: leader <topic> <partition> <brokerId>");
        continue;
      }
      rd_kafka_resp_err_t err = rd_kafka_mock_partition_set_leader(mcluster, a1, atoi(a2), id);
      if (err) reply("error", rd_kafka_err2str(err));
      else reply("ok", a1);
    } else {
      reply("error", "unknown command (down, up, topic, leader, quit)");
    }
  }
  rd_kafka_mock_cluster_destroy(mcluster);
  rd_kafka_destroy(rk);
  reply("ok", "quit");
  return 0;
}
