/* word_count.c - the quick-start demo: counts the words of a file with a
 * chained hash table.  Compile it with tm-clang, run it with TRACEMALLOC=1
 * TRACEMALLOC_DUMP=out.tmd, and `tm-report top out.tmd` shows which of these
 * lines hold the memory still allocated at exit: the table is never freed,
 * on purpose, so that the report has something to show. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  char *word;
  unsigned long count;
  struct entry *next;
};

struct table {
  struct entry **buckets;
  size_t nbuckets;
  size_t nentries;
};

static unsigned long hash_word(const char *s) {
  unsigned long h = 5381;
  while (*s)
    h = h * 33 + (unsigned char)*s++;
  return h;
}

static void table_grow(struct table *t) {
  size_t n = t->nbuckets ? t->nbuckets * 2 : 64;
  struct entry **b = calloc(n, sizeof *b);
  if (!b)
    exit(1);
  for (size_t i = 0; i < t->nbuckets; i++) {
    struct entry *e = t->buckets[i];
    while (e) {
      struct entry *next = e->next;
      size_t j = hash_word(e->word) % n;
      e->next = b[j];
      b[j] = e;
      e = next;
    }
  }
  free(t->buckets);
  t->buckets = b;
  t->nbuckets = n;
}

static void table_add(struct table *t, const char *word) {
  if (t->nentries >= t->nbuckets)
    table_grow(t);
  size_t i = hash_word(word) % t->nbuckets;
  for (struct entry *e = t->buckets[i]; e; e = e->next)
    if (strcmp(e->word, word) == 0) {
      e->count++;
      return;
    }
  struct entry *e = malloc(sizeof *e);
  if (!e)
    exit(1);
  e->word = strdup(word);
  e->count = 1;
  e->next = t->buckets[i];
  t->buckets[i] = e;
  t->nentries++;
}

int main(int argc, char **argv) {
  FILE *f = fopen(argc > 1 ? argv[1] : "/dev/stdin", "r");
  if (!f) {
    perror("word_count");
    return 1;
  }
  struct table t = {0};
  size_t cap = 16, len = 0;
  char *word = malloc(cap);
  for (int c; (c = fgetc(f)) != EOF;) {
    if (isalnum(c) || c == '_') {
      if (len + 1 >= cap)
        word = realloc(word, cap *= 2);
      word[len++] = (char)c;
    } else if (len) {
      word[len] = '\0';
      table_add(&t, word);
      len = 0;
    }
  }
  fclose(f);
  free(word);
  printf("%zu distinct words\n", t.nentries);
  return 0;
}
