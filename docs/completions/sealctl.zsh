#compdef sealctl

__sealctl_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__sealctl_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __sealctl_complete "${completions[@]:0:-1}"
    fi
}

__sealctl_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_sealctl() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'status:Show what the daemon is doing: model, jobs, memory.'
            'models:List, load and unload models.'
            'generate:Complete a prompt, printing tokens as they arrive.'
            'chat:Chat with the model (interactive, or one message with -m).'
            'tokenize:Show how the loaded model'\''s tokenizer splits a text.'
            'plugins:List, inspect and rescan plugins (tasks, context extensions, scaling strategies).'
            'extend:Plan context extension: which method parameters reach a context length.'
            'data:Create and inspect datasets of synthetic task samples.'
            'tune:Learn SEAL attention scales on task samples (a tuning job).'
            'eval:Measure retrieval accuracy on a dataset, with or without scales and context extension.'
            'heads:Head analysis: zero each attention head in turn and measure the task'\''s answer loss and accuracy.'
            'perplexity:Perplexity of the loaded model on a text (llama.cpp'\''s method, as seal-run perplexity), as a job.'
            'jobs:List, inspect, follow and cancel long-running jobs.'
            'scales:Manage scale sets (per-head attention multipliers).'
            'config:Print the daemon'\''s effective configuration.'
            'reload:Make the daemon re-read its configuration and rescan plugins (like SIGHUP).'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        status|models|generate|chat|tokenize|plugins|extend|data|tune|eval|heads|perplexity|jobs|scales|config|reload|help)
            "_sealctl_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_status() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_models() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:List the models the daemon knows of.'
            'load:Load a model (replacing the loaded one).'
            'unload:Unload the model to free its memory.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|load|unload)
            "_sealctl_models_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_models_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_models_load() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':path:_files'
        '--context[Context window in tokens (default\: the model'\''s trained length).]:n:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_models_unload() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_generate() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':prompt:'
        '--max-tokens[Most new tokens to generate.]:n:'
        '--temperature[Sampling temperature; 0 is greedy.]:t:'
        '--top-k[Sample from the k likeliest tokens.]:k:'
        '--top-p[Nucleus sampling probability mass.]:p:'
        '--repeat-penalty[Penalty for repeating recent tokens (1 = none).]:x:'
        '--seed[Random seed, for reproducible sampling.]:n:'
        '*--stop[Stop when this text is generated (repeatable).]:text:'
        '--extension[Context-extension plugin, e.g. linear.]:plugin:'
        '*--extension-param[A parameter of the extension plugin (repeatable).]:k=v:'
        '--scale-set[Id of a scale set to apply.]:id:'
        '--context[Context window for this request, in tokens.]:n:'
        '--no-stream[Wait for the whole answer instead of streaming it.]'
        '(-v --verbose)'{-v,--verbose}'[Print token counts and speed to standard error.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_chat() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-m --message)'{-m,--message}'[Send one message, print the answer and exit.]:text:'
        '--system[A system prompt for the conversation.]:text:'
        '--max-tokens[Most new tokens to generate.]:n:'
        '--temperature[Sampling temperature; 0 is greedy.]:t:'
        '--top-k[Sample from the k likeliest tokens.]:k:'
        '--top-p[Nucleus sampling probability mass.]:p:'
        '--repeat-penalty[Penalty for repeating recent tokens (1 = none).]:x:'
        '--seed[Random seed, for reproducible sampling.]:n:'
        '*--stop[Stop when this text is generated (repeatable).]:text:'
        '--extension[Context-extension plugin, e.g. linear.]:plugin:'
        '*--extension-param[A parameter of the extension plugin (repeatable).]:k=v:'
        '--scale-set[Id of a scale set to apply.]:id:'
        '--context[Context window for this request, in tokens.]:n:'
        '(-v --verbose)'{-v,--verbose}'[Print token counts and speed to standard error after each answer.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_tokenize() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':text:'
        '--no-special[Do not add the model'\''s special tokens (such as BOS).]'
        '--parse-special[Read special-token markup in TEXT (such as <|im_start|>) as special tokens.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_plugins() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:List loaded plugins.'
            'show:Show a plugin and its parameters.'
            'reload:Rescan the plugin directories.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|show|reload)
            "_sealctl_plugins_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_plugins_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_plugins_show() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':name:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_plugins_reload() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_extend() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'plan:For the loaded model, each method'\''s parameters reaching --target, and Self-Extend group/window choices.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        plan)
            "_sealctl_extend_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_extend_plan() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '--target[Context length to reach, in tokens.]:tokens:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_data() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'create:Start a job that generates a dataset with a task plugin.'
            'list:List datasets.'
            'show:Show a dataset and its samples.'
            'export:Write a dataset'\''s JSON (prompts included).'
            'delete:Delete a dataset.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        create|list|show|export|delete)
            "_sealctl_data_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_data_create() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '--task[Task plugin, e.g. passkey.]:plugin:'
        '--samples[Number of samples.]:n:'
        '--tokens[Prompt length to aim for, in tokens of the loaded model.]:n:'
        '--seed[Random seed, for a reproducible dataset.]:n:'
        '*--param[A parameter of the task plugin (repeatable).]:k=v:'
        '--name[A name for the dataset.]:name:'
        '--prime-answer[Start the assistant'\''s answer with the task'\''s prefix (e.g. "The pass key is"), so format failures are not counted as retrieval failures.]'
        '--purpose[evaluation (default) or training; training data never shares content with evaluation data.]:purpose:'
        '--wait[Follow the job until the dataset is ready.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_data_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_data_show() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_data_export() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '(-o --output)'{-o,--output}'[Write to this file instead of standard output.]:file:_files'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_data_delete() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_tune() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '--task[Task plugin that generates the training samples, e.g. lines or passkey.]:plugin:'
        '--dataset[Train on an existing dataset instead of generating one.]:id:'
        '--samples[Samples to generate (default 50).]:n:'
        '--tokens[Prompt length to aim for, in tokens of the loaded model.]:n:'
        '*--task-param[A parameter of the task plugin (repeatable).]:k=v:'
        '--strategy[Scaling strategy plugin\: headwise (SEAL-H) or channelwise (SEAL-C).]:plugin:'
        '*--strategy-param[A parameter of the strategy plugin (repeatable).]:k=v:'
        '--extension[Context-extension plugin in force while training.]:plugin:'
        '*'{--param,--extension-param}'[A parameter of the extension plugin (repeatable).]:k=v:'
        '--seed[Seed of the generated samples and the training order.]:n:'
        '--prime-answer[Train with the task'\''s answer prefix opening the assistant turn, as `eval` with a primed dataset renders it (default on).]'
        '--no-prime-answer[Train with the task'\''s answer prefix opening the assistant turn, as `eval` with a primed dataset renders it (default on).]'
        '--learning-rate[AdamW learning rate (default 1e-2 head-wise, 2e-2 channel-wise).]:x:'
        '--epochs[Passes over the samples (default 1).]:n:'
        '--batch-size[Samples per step (default 1).]:n:'
        '--weight-decay[AdamW weight decay (default 0).]:x:'
        '--l2[Weight of an L2 pull of the scales towards 1 (default 0).]:x:'
        '--clip-norm[Largest gradient norm per step.]:x:'
        '--validation-fraction[Share of samples held out for a validation loss (0-0.5).]:x:'
        '--patience[Stop after this many validations without improvement.]:n:'
        '--checkpoint-every[Steps between checkpoints (default 2).]:n:'
        '--name[A name for the scale set.]:name:'
        '--wait[Follow the job and print the scale set.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_eval() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'run:Start an evaluation job.'
            'grid:Start a grid evaluation: a task at every context length × answer depth.'
            'list:List evaluation reports.'
            'show:Show an evaluation report sample by sample, or a grid report as a table and heatmap.'
            'diff:Compare two grid reports cell by cell (second minus first).'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        run|grid|list|show|diff)
            "_sealctl_eval_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_eval_run() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '--dataset[Dataset id.]:id:'
        '--scale-set[Scale set to apply (default\: the plain model).]:id:'
        '--extension[Context-extension plugin.]:plugin:'
        '*--extension-param[A parameter of the extension plugin (repeatable).]:k=v:'
        '--max-tokens[Most new tokens per answer.]:n:'
        '--name[A name for the job.]:name:'
        '--wait[Follow the job and print the accuracy.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_eval_grid() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '--task[Task plugin with depth_mode and depth parameters (lines, passkey, kv, niah).]:plugin:'
        '--lengths[Context lengths in tokens, comma-separated.]:n,n,...:'
        '--depths[Answer depths in percent, comma-separated.]:d,d,...:'
        '--samples[Samples per cell.]:n:'
        '--seed[Random seed.]:n:'
        '*--param[A parameter of the task plugin (repeatable).]:k=v:'
        '--prime-answer[Start the assistant'\''s answer with the task'\''s prefix.]'
        '--no-prefix-reuse[Prefill every prompt in full instead of reusing the prefix it shares with the previous one (same answers; to measure the saving).]'
        '--scale-set[Scale set to apply (default\: the plain model).]:id:'
        '--extension[Context-extension plugin.]:plugin:'
        '*--extension-param[A parameter of the extension plugin (repeatable).]:k=v:'
        '--max-tokens[Most new tokens per answer.]:n:'
        '--name[A name for the job.]:name:'
        '--svg[With --wait\: also write the heatmap here.]:file.svg:'
        '--wait[Follow the job and print the grid.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_eval_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_eval_show() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '--svg[For a grid report\: write the heatmap here.]:file.svg:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_eval_diff() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':baseline:'
        ':other:'
        '--svg[Write the difference heatmap here.]:file.svg:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_heads() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'run:Start a head-analysis job.'
            'show:Show a head report: baseline, most helpful and most harmful heads, optional heatmap and scatter.'
            'list:List head reports.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        run|show|list)
            "_sealctl_heads_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_heads_run() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '--task[Task plugin that makes the samples (lines, passkey, kv, niah).]:plugin:'
        '--lengths[The two context lengths in tokens, shorter first.]:short,long:'
        '--samples[Samples per length (the sample budget).]:n:'
        '--seed[Random seed.]:n:'
        '*--param[A parameter of the task plugin (repeatable).]:k=v:'
        '--no-prime-answer[Do not start the assistant'\''s answer with the task'\''s prefix.]'
        '--layers[Only zero the heads of these layers.]:l,l,...:'
        '--max-seconds[Stop before the heads if the measured cost is higher.]:s:'
        '--scale-set[Scale set to apply (default\: the plain model).]:id:'
        '--extension[Context-extension plugin.]:plugin:'
        '*--extension-param[A parameter of the extension plugin (repeatable).]:k=v:'
        '--max-tokens[Most new tokens per answer.]:n:'
        '--name[A name for the job.]:name:'
        '--wait[Follow the job and print the report.]'
        '--top[How many of the most helpful and most harmful heads to list.]:n:'
        '--rank-by[Rank heads by the loss change at\: mean, short or long.]:which:'
        '--heatmap[Write a layer × head heatmap of the loss change (at --heatmap-length) here.]:file.svg:'
        '--heatmap-length[Which length the heatmap shows\: short or long.]:which:'
        '--scatter[Write the quadrant scatter (short vs long loss change) here.]:file.svg:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_heads_show() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '--top[How many of the most helpful and most harmful heads to list.]:n:'
        '--rank-by[Rank heads by the loss change at\: mean, short or long.]:which:'
        '--heatmap[Write a layer × head heatmap of the loss change (at --heatmap-length) here.]:file.svg:'
        '--heatmap-length[Which length the heatmap shows\: short or long.]:which:'
        '--scatter[Write the quadrant scatter (short vs long loss change) here.]:file.svg:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_heads_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_perplexity() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'run:Start a perplexity job on a text file.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        run)
            "_sealctl_perplexity_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_perplexity_run() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':file:'
        '(-c --context)'{-c,--context}'[Tokens per chunk (default 512); the second half of each is scored.]:n:'
        '--chunks[Score at most this many chunks (default\: every whole chunk).]:n:'
        '--kv-cache[KV cache type\: f32 or f16 (default\: the daemon'\''s model.kv_cache).]:type:'
        '--name[A name for the job.]:name:'
        '--wait[Follow the job and print the result.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_jobs() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:List jobs, newest first.'
            'show:Show a job.'
            'follow:Show a job'\''s progress until it finishes.'
            'cancel:Cancel a queued or running job.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|show|follow|cancel)
            "_sealctl_jobs_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_jobs_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_jobs_show() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_jobs_follow() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_jobs_cancel() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_scales() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:List scale sets.'
            'show:Show a scale set: its largest and smallest heads, optionally as a heatmap.'
            'create:Create a scale set with a scaling-strategy plugin.'
            'delete:Delete a scale set.'
            'export:Write a scale set'\''s JSON, or the model with the scales folded in.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|show|create|delete|export)
            "_sealctl_scales_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sealctl_scales_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_scales_show() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '--top[How many of the largest and smallest heads to list.]:n:'
        '--svg[Write a layer × head heatmap to this SVG file.]:file:_files -g '\''*.svg'\'''
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_scales_create() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '--name[Name of the scale set.]:name:'
        '--strategy[Scaling-strategy plugin, e.g. headwise.]:plugin:'
        '--values-file[JSON file with the values.]:file:_files -g '\''*.json'\'''
        '*--param[A parameter of the strategy plugin (repeatable).]:k=v:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_scales_delete() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_scales_export() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        ':id:'
        '(-o --output)'{-o,--output}'[Write to this file instead of standard output.]:file:_files'
        '--merged[Export the model with the scales folded in (needs --gguf and/or --hf).]'
        '--gguf[Write the merged model as this GGUF file.]:file:_files -g '\''*.gguf'\'''
        '--hf[Write the merged model as a Hugging Face directory here.]:dir:_files -/'
        '--type[Storage of the folded o_proj in the GGUF file\: f32 (exact) or f16.]:type:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_config() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_reload() {
    local -i ret=1
    local -ar arg_specs=(
        '--socket[The daemon'\''s socket (default\: $SEAL_SOCKET, else /run/seal/seald.sock).]:path:_files'
        '--json[Print the daemon'\''s raw JSON instead of tables, for scripts.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sealctl_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _sealctl ]]; then
    _sealctl "${@}"
else
    compdef _sealctl sealctl
fi
