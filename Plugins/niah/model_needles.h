/*
 * Needles written by the loaded model itself (niah `needle_source` = "model"), as the SEAL
 * paper had an LLM write its training needles zero-shot. The model is asked for a made-up fact,
 * a question and its answer in a fixed three-line format; the reply is validated (format,
 * lengths, the answer's words all in the fact, no markup) and another topic is tried when it
 * fails. Evaluation and training draw from disjoint topic lists.
 */
#ifndef SEAL_NIAH_MODEL_NEEDLES_H
#define SEAL_NIAH_MODEL_NEEDLES_H

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "needles.h"
#include "seal_plugin.h"

static const char *const evaluation_topics[8] = {
    "a lighthouse keeper", "an old clock tower", "a mountain village", "a travelling circus",
    "a harbour market", "a royal garden", "a river ferry", "a village school",
};
static const char *const training_topics[8] = {
    "a bakery in a small town", "a desert caravan", "a forest cabin", "a city library",
    "a fishing boat", "a train station", "a castle kitchen", "a winter festival",
};

/** A needle written by the model, held in the plugin's own buffers during one call. */
typedef struct written_needle {
    char sentence[304];
    char question[208];
    char answer[104];
    needle view;
} written_needle;

/** Copies the text after `key` up to the end of its line into `out`; 0 when the key is missing. */
static int field_after(const char *text, const char *key, char *out, size_t capacity) {
    const char *at = strstr(text, key);
    if (at == NULL) return 0;
    at += strlen(key);
    while (*at == ' ' || *at == '\t') at++;
    size_t length = strcspn(at, "\r\n");
    while (length > 0 && (at[length - 1] == ' ' || at[length - 1] == '\t')) length--;
    if (length == 0 || length >= capacity) return 0;
    memcpy(out, at, length);
    out[length] = '\0';
    return 1;
}

/** Lower-case ASCII word `index` of `text` into `out`, or 0 past the last word. */
static int word_at(const char *text, int index, char *out, size_t capacity) {
    int count = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0';) {
        if (!isalnum(*p)) {
            p++;
            continue;
        }
        size_t length = 0;
        while (isalnum(*p)) {
            if (count == index && length + 1 < capacity) out[length++] = (char)tolower(*p);
            p++;
        }
        if (count++ == index) {
            out[length] = '\0';
            return 1;
        }
    }
    return 0;
}

static int contains_word(const char *text, const char *word) {
    char candidate[64];
    for (int i = 0; word_at(text, i, candidate, sizeof candidate); i++) {
        if (strcmp(candidate, word) == 0) return 1;
    }
    return 0;
}

/** Parses and checks one reply; returns NULL when valid, else why not. */
static const char *validate_reply(const char *reply, written_needle *out) {
    if (!field_after(reply, "FACT:", out->sentence, sizeof out->sentence - 2)) return "no FACT line";
    if (!field_after(reply, "QUESTION:", out->question, sizeof out->question)) return "no QUESTION line";
    if (!field_after(reply, "ANSWER:", out->answer, sizeof out->answer)) return "no ANSWER line";
    if (strlen(out->sentence) < 20) return "the fact is too short";
    if (out->question[strlen(out->question) - 1] != '?') return "the question does not end with '?'";
    if (strstr(out->sentence, "Tolden") != NULL) return "the fact copies the example";
    for (const char *s = out->sentence; *s; s++) if (*s == '<' || *s == '>') return "the fact contains markup";
    for (const char *s = out->question; *s; s++) if (*s == '<' || *s == '>') return "the question contains markup";
    char word[64];
    int words = 0;
    for (; word_at(out->answer, words, word, sizeof word); words++) {
        if (!contains_word(out->sentence, word)) return "an answer word is not in the fact";
    }
    if (words == 0 || words > 8) return "the answer must have 1 to 8 words";
    size_t length = strlen(out->sentence);
    if (out->sentence[length - 1] != '.' && out->sentence[length - 1] != '!') {
        out->sentence[length] = '.';
        out->sentence[length + 1] = '\0';
    }
    out->view.sentence = out->sentence;
    out->view.question = out->question;
    out->view.prefix = "";
    out->view.answer = out->answer;
    return NULL;
}

/**
 * Asks the model for a needle, trying up to `attempts` topics (chosen from the sample's seed and
 * index). On failure writes the last reason to `error`.
 */
static seal_status write_needle(const seal_host *host, uint64_t seed, uint64_t index, int training, int64_t attempts,
                                written_needle *out, int64_t *attempt_used, char *error, size_t error_capacity) {
    if (!SEAL_HAS_FIELD(host, seal_host, generate_text) || host->generate_text == NULL) {
        return seal_error(error, error_capacity, SEAL_ERROR_CALLBACK,
                          "niah: needle_source \"model\" needs the loaded model to write needles (host generate_text)");
    }
    const char *const *topics = training ? training_topics : evaluation_topics;
    const char *reason = "no attempt";
    for (int64_t attempt = 0; attempt < attempts; attempt++) {
        const char *topic = topics[(seed + index + (uint64_t)attempt) % 8];
        char prompt[768];
        snprintf(prompt, sizeof prompt,
                 "Write a made-up fact about %s, a question about it, and the answer, in this format:\n"
                 "FACT: The baker in Tolden puts honey in every loaf.\n"
                 "QUESTION: What does the baker in Tolden put in every loaf?\n"
                 "ANSWER: honey\n\n"
                 "Now write a new one about %s. Reply with the three lines only.", topic, topic);
        const char *reply = host->generate_text(host->context, prompt, 96);
        if (reply == NULL) return seal_error(error, error_capacity, SEAL_ERROR_CALLBACK, "niah: the model failed to generate");
        reason = validate_reply(reply, out);
        if (reason == NULL) {
            *attempt_used = attempt + 1;
            return SEAL_OK;
        }
    }
    char message[200];
    snprintf(message, sizeof message, "niah: the model wrote no valid needle in %lld attempts (last: %s); "
             "use needle_source \"builtin\" or a larger model", (long long)attempts, reason);
    return seal_error(error, error_capacity, SEAL_ERROR_UNSUPPORTED, message);
}

#endif
