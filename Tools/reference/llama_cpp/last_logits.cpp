// Loads a GGUF with llama.cpp, evaluates the given token ids and prints the logits of the last
// position (one per line). Used by check_llama_cpp.py to show that llama.cpp loads a merged
// export and computes the same model seal does. Build against libllama (see check_llama_cpp.py).
#include <cstdio>
#include <cstdlib>
#include <vector>
#include "llama.h"

int main(int argc, char ** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL.gguf TOKEN_ID...\n", argv[0]);
        return 2;
    }
    llama_backend_init();
    llama_model_params model_params = llama_model_default_params();
    llama_model * model = llama_model_load_from_file(argv[1], model_params);
    if (model == nullptr) {
        std::fprintf(stderr, "llama.cpp could not load %s\n", argv[1]);
        return 1;
    }
    std::vector<llama_token> tokens;
    for (int i = 2; i < argc; i++) tokens.push_back((llama_token) std::atoi(argv[i]));
    llama_context_params context_params = llama_context_default_params();
    context_params.n_ctx = 512;
    context_params.n_batch = 512;
    context_params.n_threads = 2;
    llama_context * ctx = llama_init_from_model(model, context_params);
    if (ctx == nullptr) return 1;
    llama_batch batch = llama_batch_get_one(tokens.data(), (int32_t) tokens.size());
    if (llama_decode(ctx, batch) != 0) {
        std::fprintf(stderr, "llama_decode failed\n");
        return 1;
    }
    const float * logits = llama_get_logits_ith(ctx, -1);
    const int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
    for (int i = 0; i < n_vocab; i++) std::printf("%.6f\n", logits[i]);
    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
