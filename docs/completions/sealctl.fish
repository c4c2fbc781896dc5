function __sealctl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __sealctl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __sealctl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __sealctl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __sealctl_parse_tokens -S
    set -l unparsed_tokens (__sealctl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'sealctl'
        __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
        switch $unparsed_tokens[1]
        case 'status'
            __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
        case 'models'
            __sealctl_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
            case 'load'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'context=' 'h/help'
            case 'unload'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
            end
        case 'generate'
            __sealctl_parse_subcommand 1 'socket=' 'json' 'max-tokens=' 'temperature=' 'top-k=' 'top-p=' 'repeat-penalty=' 'seed=' 'stop=+' 'extension=' 'extension-param=+' 'scale-set=' 'context=' 'no-stream' 'v/verbose' 'h/help'
        case 'chat'
            __sealctl_parse_subcommand 0 'socket=' 'json' 'm/message=' 'system=' 'max-tokens=' 'temperature=' 'top-k=' 'top-p=' 'repeat-penalty=' 'seed=' 'stop=+' 'extension=' 'extension-param=+' 'scale-set=' 'context=' 'v/verbose' 'h/help'
        case 'tokenize'
            __sealctl_parse_subcommand 1 'socket=' 'json' 'no-special' 'parse-special' 'h/help'
        case 'plugins'
            __sealctl_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
            case 'show'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'h/help'
            case 'reload'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
            end
        case 'extend'
            __sealctl_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'plan'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'target=' 'h/help'
            end
        case 'data'
            __sealctl_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'task=' 'samples=' 'tokens=' 'seed=' 'param=+' 'name=' 'prime-answer' 'purpose=' 'wait' 'h/help'
            case 'list'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
            case 'show'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'h/help'
            case 'export'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'o/output=' 'h/help'
            case 'delete'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'h/help'
            end
        case 'tune'
            __sealctl_parse_subcommand 0 'socket=' 'json' 'task=' 'dataset=' 'samples=' 'tokens=' 'task-param=+' 'strategy=' 'strategy-param=+' 'extension=' 'param=+' 'seed=' 'prime-answer' 'no-prime-answer' 'learning-rate=' 'epochs=' 'batch-size=' 'weight-decay=' 'l2=' 'clip-norm=' 'validation-fraction=' 'patience=' 'checkpoint-every=' 'name=' 'wait' 'h/help'
        case 'eval'
            __sealctl_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'run'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'dataset=' 'scale-set=' 'extension=' 'extension-param=+' 'max-tokens=' 'name=' 'wait' 'h/help'
            case 'grid'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'task=' 'lengths=' 'depths=' 'samples=' 'seed=' 'param=+' 'prime-answer' 'no-prefix-reuse' 'scale-set=' 'extension=' 'extension-param=+' 'max-tokens=' 'name=' 'svg=' 'wait' 'h/help'
            case 'list'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
            case 'show'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'svg=' 'h/help'
            case 'diff'
                __sealctl_parse_subcommand 2 'socket=' 'json' 'svg=' 'h/help'
            end
        case 'heads'
            __sealctl_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'run'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'task=' 'lengths=' 'samples=' 'seed=' 'param=+' 'no-prime-answer' 'layers=' 'max-seconds=' 'scale-set=' 'extension=' 'extension-param=+' 'max-tokens=' 'name=' 'wait' 'top=' 'rank-by=' 'heatmap=' 'heatmap-length=' 'scatter=' 'h/help'
            case 'show'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'top=' 'rank-by=' 'heatmap=' 'heatmap-length=' 'scatter=' 'h/help'
            case 'list'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
            end
        case 'perplexity'
            __sealctl_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'run'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'c/context=' 'chunks=' 'kv-cache=' 'name=' 'wait' 'h/help'
            end
        case 'jobs'
            __sealctl_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
            case 'show'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'h/help'
            case 'follow'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'h/help'
            case 'cancel'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'h/help'
            end
        case 'scales'
            __sealctl_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
            case 'show'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'top=' 'svg=' 'h/help'
            case 'create'
                __sealctl_parse_subcommand 0 'socket=' 'json' 'name=' 'strategy=' 'values-file=' 'param=+' 'h/help'
            case 'delete'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'h/help'
            case 'export'
                __sealctl_parse_subcommand 1 'socket=' 'json' 'o/output=' 'merged' 'gguf=' 'hf=' 'type=' 'h/help'
            end
        case 'config'
            __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
        case 'reload'
            __sealctl_parse_subcommand 0 'socket=' 'json' 'h/help'
        case 'help'
            __sealctl_parse_subcommand -r 1 
        end
    end
end

function __sealctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __sealctl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __sealctl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __sealctl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__sealctl_tokens -p)
    if test -z "$(__sealctl_tokens -t)"
        set -l index (count (__sealctl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'sealctl' -f
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'status' -d 'Show what the daemon is doing: model, jobs, memory.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'models' -d 'List, load and unload models.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'generate' -d 'Complete a prompt, printing tokens as they arrive.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'chat' -d 'Chat with the model (interactive, or one message with -m).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'tokenize' -d 'Show how the loaded model\'s tokenizer splits a text.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'plugins' -d 'List, inspect and rescan plugins (tasks, context extensions, scaling strategies).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'extend' -d 'Plan context extension: which method parameters reach a context length.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'data' -d 'Create and inspect datasets of synthetic task samples.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'tune' -d 'Learn SEAL attention scales on task samples (a tuning job).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'eval' -d 'Measure retrieval accuracy on a dataset, with or without scales and context extension.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'heads' -d 'Head analysis: zero each attention head in turn and measure the task\'s answer loss and accuracy.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'perplexity' -d 'Perplexity of the loaded model on a text (llama.cpp\'s method, as seal-run perplexity), as a job.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'jobs' -d 'List, inspect, follow and cancel long-running jobs.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'scales' -d 'Manage scale sets (per-head attention multipliers).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'config' -d 'Print the daemon\'s effective configuration.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'reload' -d 'Make the daemon re-read its configuration and rescan plugins (like SIGHUP).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl status" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl status" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl models" -eq 1' -fa 'list' -d 'List the models the daemon knows of.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl models" -eq 1' -fa 'load' -d 'Load a model (replacing the loaded one).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl models" -eq 1' -fa 'unload' -d 'Unload the model to free its memory.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models list" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models list" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models load" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models load" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl models load" -eq 1' -F
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models load" context' -l 'context' -d 'Context window in tokens (default: the model\'s trained length).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models load" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models unload" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models unload" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl models unload" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" max-tokens' -l 'max-tokens' -d 'Most new tokens to generate.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" temperature' -l 'temperature' -d 'Sampling temperature; 0 is greedy.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" top-k' -l 'top-k' -d 'Sample from the k likeliest tokens.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" top-p' -l 'top-p' -d 'Nucleus sampling probability mass.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" repeat-penalty' -l 'repeat-penalty' -d 'Penalty for repeating recent tokens (1 = none).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" seed' -l 'seed' -d 'Random seed, for reproducible sampling.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate"' -l 'stop' -d 'Stop when this text is generated (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" extension' -l 'extension' -d 'Context-extension plugin, e.g. linear.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate"' -l 'extension-param' -d 'A parameter of the extension plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" scale-set' -l 'scale-set' -d 'Id of a scale set to apply.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" context' -l 'context' -d 'Context window for this request, in tokens.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" no-stream' -l 'no-stream' -d 'Wait for the whole answer instead of streaming it.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" v verbose' -s 'v' -l 'verbose' -d 'Print token counts and speed to standard error.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl generate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" m message' -s 'm' -l 'message' -d 'Send one message, print the answer and exit.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" system' -l 'system' -d 'A system prompt for the conversation.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" max-tokens' -l 'max-tokens' -d 'Most new tokens to generate.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" temperature' -l 'temperature' -d 'Sampling temperature; 0 is greedy.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" top-k' -l 'top-k' -d 'Sample from the k likeliest tokens.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" top-p' -l 'top-p' -d 'Nucleus sampling probability mass.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" repeat-penalty' -l 'repeat-penalty' -d 'Penalty for repeating recent tokens (1 = none).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" seed' -l 'seed' -d 'Random seed, for reproducible sampling.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat"' -l 'stop' -d 'Stop when this text is generated (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" extension' -l 'extension' -d 'Context-extension plugin, e.g. linear.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat"' -l 'extension-param' -d 'A parameter of the extension plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" scale-set' -l 'scale-set' -d 'Id of a scale set to apply.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" context' -l 'context' -d 'Context window for this request, in tokens.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" v verbose' -s 'v' -l 'verbose' -d 'Print token counts and speed to standard error after each answer.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl chat" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tokenize" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tokenize" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tokenize" no-special' -l 'no-special' -d 'Do not add the model\'s special tokens (such as BOS).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tokenize" parse-special' -l 'parse-special' -d 'Read special-token markup in TEXT (such as <|im_start|>) as special tokens.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tokenize" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl plugins" -eq 1' -fa 'list' -d 'List loaded plugins.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl plugins" -eq 1' -fa 'show' -d 'Show a plugin and its parameters.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl plugins" -eq 1' -fa 'reload' -d 'Rescan the plugin directories.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins list" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins list" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins show" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins show" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins reload" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins reload" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl plugins reload" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl extend" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl extend" -eq 1' -fa 'plan' -d 'For the loaded model, each method\'s parameters reaching --target, and Self-Extend group/window choices.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl extend plan" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl extend plan" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl extend plan" target' -l 'target' -d 'Context length to reach, in tokens.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl extend plan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl data" -eq 1' -fa 'create' -d 'Start a job that generates a dataset with a task plugin.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl data" -eq 1' -fa 'list' -d 'List datasets.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl data" -eq 1' -fa 'show' -d 'Show a dataset and its samples.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl data" -eq 1' -fa 'export' -d 'Write a dataset\'s JSON (prompts included).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl data" -eq 1' -fa 'delete' -d 'Delete a dataset.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" task' -l 'task' -d 'Task plugin, e.g. passkey.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" samples' -l 'samples' -d 'Number of samples.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" tokens' -l 'tokens' -d 'Prompt length to aim for, in tokens of the loaded model.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" seed' -l 'seed' -d 'Random seed, for a reproducible dataset.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create"' -l 'param' -d 'A parameter of the task plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" name' -l 'name' -d 'A name for the dataset.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" prime-answer' -l 'prime-answer' -d 'Start the assistant\'s answer with the task\'s prefix (e.g. "The pass key is"), so format failures are not counted as retrieval failures.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" purpose' -l 'purpose' -d 'evaluation (default) or training; training data never shares content with evaluation data.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" wait' -l 'wait' -d 'Follow the job until the dataset is ready.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data list" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data list" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data show" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data show" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data export" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data export" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data export" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data delete" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data delete" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl data delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" task' -l 'task' -d 'Task plugin that generates the training samples, e.g. lines or passkey.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" dataset' -l 'dataset' -d 'Train on an existing dataset instead of generating one.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" samples' -l 'samples' -d 'Samples to generate (default 50).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" tokens' -l 'tokens' -d 'Prompt length to aim for, in tokens of the loaded model.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune"' -l 'task-param' -d 'A parameter of the task plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" strategy' -l 'strategy' -d 'Scaling strategy plugin: headwise (SEAL-H) or channelwise (SEAL-C).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune"' -l 'strategy-param' -d 'A parameter of the strategy plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" extension' -l 'extension' -d 'Context-extension plugin in force while training.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune"' -l 'param' -l 'extension-param' -d 'A parameter of the extension plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" seed' -l 'seed' -d 'Seed of the generated samples and the training order.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" prime-answer' -l 'prime-answer' -d 'Train with the task\'s answer prefix opening the assistant turn, as `eval` with a primed dataset renders it (default on).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" no-prime-answer' -l 'no-prime-answer' -d 'Train with the task\'s answer prefix opening the assistant turn, as `eval` with a primed dataset renders it (default on).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" learning-rate' -l 'learning-rate' -d 'AdamW learning rate (default 1e-2 head-wise, 2e-2 channel-wise).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" epochs' -l 'epochs' -d 'Passes over the samples (default 1).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" batch-size' -l 'batch-size' -d 'Samples per step (default 1).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" weight-decay' -l 'weight-decay' -d 'AdamW weight decay (default 0).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" l2' -l 'l2' -d 'Weight of an L2 pull of the scales towards 1 (default 0).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" clip-norm' -l 'clip-norm' -d 'Largest gradient norm per step.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" validation-fraction' -l 'validation-fraction' -d 'Share of samples held out for a validation loss (0-0.5).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" patience' -l 'patience' -d 'Stop after this many validations without improvement.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" checkpoint-every' -l 'checkpoint-every' -d 'Steps between checkpoints (default 2).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" name' -l 'name' -d 'A name for the scale set.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" wait' -l 'wait' -d 'Follow the job and print the scale set.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl tune" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl eval" -eq 1' -fa 'run' -d 'Start an evaluation job.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl eval" -eq 1' -fa 'grid' -d 'Start a grid evaluation: a task at every context length × answer depth.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl eval" -eq 1' -fa 'list' -d 'List evaluation reports.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl eval" -eq 1' -fa 'show' -d 'Show an evaluation report sample by sample, or a grid report as a table and heatmap.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl eval" -eq 1' -fa 'diff' -d 'Compare two grid reports cell by cell (second minus first).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run" dataset' -l 'dataset' -d 'Dataset id.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run" scale-set' -l 'scale-set' -d 'Scale set to apply (default: the plain model).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run" extension' -l 'extension' -d 'Context-extension plugin.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run"' -l 'extension-param' -d 'A parameter of the extension plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run" max-tokens' -l 'max-tokens' -d 'Most new tokens per answer.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run" name' -l 'name' -d 'A name for the job.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run" wait' -l 'wait' -d 'Follow the job and print the accuracy.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" task' -l 'task' -d 'Task plugin with depth_mode and depth parameters (lines, passkey, kv, niah).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" lengths' -l 'lengths' -d 'Context lengths in tokens, comma-separated.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" depths' -l 'depths' -d 'Answer depths in percent, comma-separated.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" samples' -l 'samples' -d 'Samples per cell.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" seed' -l 'seed' -d 'Random seed.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid"' -l 'param' -d 'A parameter of the task plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" prime-answer' -l 'prime-answer' -d 'Start the assistant\'s answer with the task\'s prefix.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" no-prefix-reuse' -l 'no-prefix-reuse' -d 'Prefill every prompt in full instead of reusing the prefix it shares with the previous one (same answers; to measure the saving).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" scale-set' -l 'scale-set' -d 'Scale set to apply (default: the plain model).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" extension' -l 'extension' -d 'Context-extension plugin.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid"' -l 'extension-param' -d 'A parameter of the extension plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" max-tokens' -l 'max-tokens' -d 'Most new tokens per answer.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" name' -l 'name' -d 'A name for the job.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" svg' -l 'svg' -d 'With --wait: also write the heatmap here.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" wait' -l 'wait' -d 'Follow the job and print the grid.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval grid" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval list" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval list" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval show" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval show" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval show" svg' -l 'svg' -d 'For a grid report: write the heatmap here.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval diff" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval diff" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval diff" svg' -l 'svg' -d 'Write the difference heatmap here.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl eval diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl heads" -eq 1' -fa 'run' -d 'Start a head-analysis job.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl heads" -eq 1' -fa 'show' -d 'Show a head report: baseline, most helpful and most harmful heads, optional heatmap and scatter.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl heads" -eq 1' -fa 'list' -d 'List head reports.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" task' -l 'task' -d 'Task plugin that makes the samples (lines, passkey, kv, niah).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" lengths' -l 'lengths' -d 'The two context lengths in tokens, shorter first.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" samples' -l 'samples' -d 'Samples per length (the sample budget).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" seed' -l 'seed' -d 'Random seed.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run"' -l 'param' -d 'A parameter of the task plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" no-prime-answer' -l 'no-prime-answer' -d 'Do not start the assistant\'s answer with the task\'s prefix.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" layers' -l 'layers' -d 'Only zero the heads of these layers.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" max-seconds' -l 'max-seconds' -d 'Stop before the heads if the measured cost is higher.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" scale-set' -l 'scale-set' -d 'Scale set to apply (default: the plain model).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" extension' -l 'extension' -d 'Context-extension plugin.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run"' -l 'extension-param' -d 'A parameter of the extension plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" max-tokens' -l 'max-tokens' -d 'Most new tokens per answer.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" name' -l 'name' -d 'A name for the job.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" wait' -l 'wait' -d 'Follow the job and print the report.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" top' -l 'top' -d 'How many of the most helpful and most harmful heads to list.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" rank-by' -l 'rank-by' -d 'Rank heads by the loss change at: mean, short or long.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" heatmap' -l 'heatmap' -d 'Write a layer × head heatmap of the loss change (at --heatmap-length) here.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" heatmap-length' -l 'heatmap-length' -d 'Which length the heatmap shows: short or long.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" scatter' -l 'scatter' -d 'Write the quadrant scatter (short vs long loss change) here.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads show" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads show" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads show" top' -l 'top' -d 'How many of the most helpful and most harmful heads to list.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads show" rank-by' -l 'rank-by' -d 'Rank heads by the loss change at: mean, short or long.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads show" heatmap' -l 'heatmap' -d 'Write a layer × head heatmap of the loss change (at --heatmap-length) here.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads show" heatmap-length' -l 'heatmap-length' -d 'Which length the heatmap shows: short or long.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads show" scatter' -l 'scatter' -d 'Write the quadrant scatter (short vs long loss change) here.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads list" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads list" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl heads list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl perplexity" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl perplexity" -eq 1' -fa 'run' -d 'Start a perplexity job on a text file.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl perplexity run" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl perplexity run" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl perplexity run" c context' -s 'c' -l 'context' -d 'Tokens per chunk (default 512); the second half of each is scored.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl perplexity run" chunks' -l 'chunks' -d 'Score at most this many chunks (default: every whole chunk).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl perplexity run" kv-cache' -l 'kv-cache' -d 'KV cache type: f32 or f16 (default: the daemon\'s model.kv_cache).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl perplexity run" name' -l 'name' -d 'A name for the job.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl perplexity run" wait' -l 'wait' -d 'Follow the job and print the result.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl perplexity run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl jobs" -eq 1' -fa 'list' -d 'List jobs, newest first.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl jobs" -eq 1' -fa 'show' -d 'Show a job.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl jobs" -eq 1' -fa 'follow' -d 'Show a job\'s progress until it finishes.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl jobs" -eq 1' -fa 'cancel' -d 'Cancel a queued or running job.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs list" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs list" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs show" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs show" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs follow" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs follow" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs follow" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs cancel" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs cancel" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl jobs cancel" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl scales" -eq 1' -fa 'list' -d 'List scale sets.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl scales" -eq 1' -fa 'show' -d 'Show a scale set: its largest and smallest heads, optionally as a heatmap.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl scales" -eq 1' -fa 'create' -d 'Create a scale set with a scaling-strategy plugin.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl scales" -eq 1' -fa 'delete' -d 'Delete a scale set.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_positional "sealctl scales" -eq 1' -fa 'export' -d 'Write a scale set\'s JSON, or the model with the scales folded in.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales list" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales list" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales show" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales show" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales show" top' -l 'top' -d 'How many of the largest and smallest heads to list.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales show" svg' -l 'svg' -d 'Write a layer × head heatmap to this SVG file.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'svg\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales create" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales create" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales create" name' -l 'name' -d 'Name of the scale set.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales create" strategy' -l 'strategy' -d 'Scaling-strategy plugin, e.g. headwise.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales create" values-file' -l 'values-file' -d 'JSON file with the values.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales create"' -l 'param' -d 'A parameter of the strategy plugin (repeatable).' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales delete" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales delete" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales export" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales export" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales export" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales export" merged' -l 'merged' -d 'Export the model with the scales folded in (needs --gguf and/or --hf).'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales export" gguf' -l 'gguf' -d 'Write the merged model as this GGUF file.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'gguf\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales export" hf' -l 'hf' -d 'Write the merged model as a Hugging Face directory here.' -rfa '(__sealctl_complete_directories)'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales export" type' -l 'type' -d 'Storage of the folded o_proj in the GGUF file: f32 (exact) or f16.' -rfka ''
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl scales export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl config" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl config" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl config" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl reload" socket' -l 'socket' -d 'The daemon\'s socket (default: $SEAL_SOCKET, else /run/seal/seald.sock).' -rF
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl reload" json' -l 'json' -d 'Print the daemon\'s raw JSON instead of tables, for scripts.'
complete -c 'sealctl' -n '__sealctl_should_offer_completions_for_flags_or_options "sealctl reload" h help' -s 'h' -l 'help' -d 'Show help information.'
