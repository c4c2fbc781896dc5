#!/bin/bash

__sealctl_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__sealctl_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__sealctl_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__sealctl_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_sealctl() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--json -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    status|models|generate|chat|tokenize|plugins|extend|data|tune|eval|heads|perplexity|jobs|scales|config|reload|help)
        # Offer subcommand argument completions
        "_sealctl_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'status models generate chat tokenize plugins extend data tune eval heads perplexity jobs scales config reload help' -- "${cur}"))
        ;;
    esac
}

_sealctl_status() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_models() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __sealctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|load|unload)
        # Offer subcommand argument completions
        "_sealctl_models_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list load unload' -- "${cur}"))
        ;;
    esac
}

_sealctl_models_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_models_load() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket --context)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_models_unload() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_generate() {
    repeating_flags=()
    non_repeating_flags=(--json --no-stream -v --verbose -h --help)
    repeating_options=(--stop --extension-param)
    non_repeating_options=(--socket --max-tokens --temperature --top-k --top-p --repeat-penalty --seed --extension --scale-set --context)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--temperature')
        return
        ;;
    '--top-k')
        return
        ;;
    '--top-p')
        return
        ;;
    '--repeat-penalty')
        return
        ;;
    '--seed')
        return
        ;;
    '--stop')
        return
        ;;
    '--extension')
        return
        ;;
    '--extension-param')
        return
        ;;
    '--scale-set')
        return
        ;;
    '--context')
        return
        ;;
    esac
}

_sealctl_chat() {
    repeating_flags=()
    non_repeating_flags=(--json -v --verbose -h --help)
    repeating_options=(--stop --extension-param)
    non_repeating_options=(--socket -m --message --system --max-tokens --temperature --top-k --top-p --repeat-penalty --seed --extension --scale-set --context)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '-m'|'--message')
        return
        ;;
    '--system')
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--temperature')
        return
        ;;
    '--top-k')
        return
        ;;
    '--top-p')
        return
        ;;
    '--repeat-penalty')
        return
        ;;
    '--seed')
        return
        ;;
    '--stop')
        return
        ;;
    '--extension')
        return
        ;;
    '--extension-param')
        return
        ;;
    '--scale-set')
        return
        ;;
    '--context')
        return
        ;;
    esac
}

_sealctl_tokenize() {
    repeating_flags=()
    non_repeating_flags=(--json --no-special --parse-special -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_plugins() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __sealctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|reload)
        # Offer subcommand argument completions
        "_sealctl_plugins_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show reload' -- "${cur}"))
        ;;
    esac
}

_sealctl_plugins_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_plugins_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_plugins_reload() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_extend() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __sealctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    plan)
        # Offer subcommand argument completions
        "_sealctl_extend_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'plan' -- "${cur}"))
        ;;
    esac
}

_sealctl_extend_plan() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket --target)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--target')
        return
        ;;
    esac
}

_sealctl_data() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __sealctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|show|export|delete)
        # Offer subcommand argument completions
        "_sealctl_data_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list show export delete' -- "${cur}"))
        ;;
    esac
}

_sealctl_data_create() {
    repeating_flags=()
    non_repeating_flags=(--json --prime-answer --wait -h --help)
    repeating_options=(--param)
    non_repeating_options=(--socket --task --samples --tokens --seed --name --purpose)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--task')
        return
        ;;
    '--samples')
        return
        ;;
    '--tokens')
        return
        ;;
    '--seed')
        return
        ;;
    '--param')
        return
        ;;
    '--name')
        return
        ;;
    '--purpose')
        return
        ;;
    esac
}

_sealctl_data_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_data_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_data_export() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket -o --output)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '-o'|'--output')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_data_delete() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_tune() {
    repeating_flags=()
    non_repeating_flags=(--json --prime-answer --no-prime-answer --wait -h --help)
    repeating_options=(--task-param --strategy-param --param --extension-param)
    non_repeating_options=(--socket --task --dataset --samples --tokens --strategy --extension --seed --learning-rate --epochs --batch-size --weight-decay --l2 --clip-norm --validation-fraction --patience --checkpoint-every --name)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--task')
        return
        ;;
    '--dataset')
        return
        ;;
    '--samples')
        return
        ;;
    '--tokens')
        return
        ;;
    '--task-param')
        return
        ;;
    '--strategy')
        return
        ;;
    '--strategy-param')
        return
        ;;
    '--extension')
        return
        ;;
    '--param'|'--extension-param')
        return
        ;;
    '--seed')
        return
        ;;
    '--learning-rate')
        return
        ;;
    '--epochs')
        return
        ;;
    '--batch-size')
        return
        ;;
    '--weight-decay')
        return
        ;;
    '--l2')
        return
        ;;
    '--clip-norm')
        return
        ;;
    '--validation-fraction')
        return
        ;;
    '--patience')
        return
        ;;
    '--checkpoint-every')
        return
        ;;
    '--name')
        return
        ;;
    esac
}

_sealctl_eval() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __sealctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    run|grid|list|show|diff)
        # Offer subcommand argument completions
        "_sealctl_eval_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'run grid list show diff' -- "${cur}"))
        ;;
    esac
}

_sealctl_eval_run() {
    repeating_flags=()
    non_repeating_flags=(--json --wait -h --help)
    repeating_options=(--extension-param)
    non_repeating_options=(--socket --dataset --scale-set --extension --max-tokens --name)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--dataset')
        return
        ;;
    '--scale-set')
        return
        ;;
    '--extension')
        return
        ;;
    '--extension-param')
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--name')
        return
        ;;
    esac
}

_sealctl_eval_grid() {
    repeating_flags=()
    non_repeating_flags=(--json --prime-answer --no-prefix-reuse --wait -h --help)
    repeating_options=(--param --extension-param)
    non_repeating_options=(--socket --task --lengths --depths --samples --seed --scale-set --extension --max-tokens --name --svg)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--task')
        return
        ;;
    '--lengths')
        return
        ;;
    '--depths')
        return
        ;;
    '--samples')
        return
        ;;
    '--seed')
        return
        ;;
    '--param')
        return
        ;;
    '--scale-set')
        return
        ;;
    '--extension')
        return
        ;;
    '--extension-param')
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--name')
        return
        ;;
    '--svg')
        return
        ;;
    esac
}

_sealctl_eval_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_eval_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket --svg)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--svg')
        return
        ;;
    esac
}

_sealctl_eval_diff() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket --svg)
    __sealctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--svg')
        return
        ;;
    esac
}

_sealctl_heads() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __sealctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    run|show|list)
        # Offer subcommand argument completions
        "_sealctl_heads_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'run show list' -- "${cur}"))
        ;;
    esac
}

_sealctl_heads_run() {
    repeating_flags=()
    non_repeating_flags=(--json --no-prime-answer --wait -h --help)
    repeating_options=(--param --extension-param)
    non_repeating_options=(--socket --task --lengths --samples --seed --layers --max-seconds --scale-set --extension --max-tokens --name --top --rank-by --heatmap --heatmap-length --scatter)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--task')
        return
        ;;
    '--lengths')
        return
        ;;
    '--samples')
        return
        ;;
    '--seed')
        return
        ;;
    '--param')
        return
        ;;
    '--layers')
        return
        ;;
    '--max-seconds')
        return
        ;;
    '--scale-set')
        return
        ;;
    '--extension')
        return
        ;;
    '--extension-param')
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--name')
        return
        ;;
    '--top')
        return
        ;;
    '--rank-by')
        return
        ;;
    '--heatmap')
        return
        ;;
    '--heatmap-length')
        return
        ;;
    '--scatter')
        return
        ;;
    esac
}

_sealctl_heads_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket --top --rank-by --heatmap --heatmap-length --scatter)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--top')
        return
        ;;
    '--rank-by')
        return
        ;;
    '--heatmap')
        return
        ;;
    '--heatmap-length')
        return
        ;;
    '--scatter')
        return
        ;;
    esac
}

_sealctl_heads_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_perplexity() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __sealctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    run)
        # Offer subcommand argument completions
        "_sealctl_perplexity_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'run' -- "${cur}"))
        ;;
    esac
}

_sealctl_perplexity_run() {
    repeating_flags=()
    non_repeating_flags=(--json --wait -h --help)
    repeating_options=()
    non_repeating_options=(--socket -c --context --chunks --kv-cache --name)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '-c'|'--context')
        return
        ;;
    '--chunks')
        return
        ;;
    '--kv-cache')
        return
        ;;
    '--name')
        return
        ;;
    esac
}

_sealctl_jobs() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __sealctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|follow|cancel)
        # Offer subcommand argument completions
        "_sealctl_jobs_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show follow cancel' -- "${cur}"))
        ;;
    esac
}

_sealctl_jobs_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_jobs_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_jobs_follow() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_jobs_cancel() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_scales() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __sealctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|create|delete|export)
        # Offer subcommand argument completions
        "_sealctl_scales_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show create delete export' -- "${cur}"))
        ;;
    esac
}

_sealctl_scales_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_scales_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket --top --svg)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--top')
        return
        ;;
    '--svg')
        __sealctl_add_completions -o plusdirs -fX '!*.@(svg)'
        return
        ;;
    esac
}

_sealctl_scales_create() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=(--param)
    non_repeating_options=(--socket --name --strategy --values-file)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '--name')
        return
        ;;
    '--strategy')
        return
        ;;
    '--values-file')
        __sealctl_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--param')
        return
        ;;
    esac
}

_sealctl_scales_delete() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_scales_export() {
    repeating_flags=()
    non_repeating_flags=(--json --merged -h --help)
    repeating_options=()
    non_repeating_options=(--socket -o --output --gguf --hf --type)
    __sealctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    '-o'|'--output')
        __sealctl_add_completions -f
        return
        ;;
    '--gguf')
        __sealctl_add_completions -o plusdirs -fX '!*.@(gguf)'
        return
        ;;
    '--hf')
        __sealctl_add_completions -d
        return
        ;;
    '--type')
        return
        ;;
    esac
}

_sealctl_config() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_reload() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __sealctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        __sealctl_add_completions -f
        return
        ;;
    esac
}

_sealctl_help() {
    :
}

complete -o filenames -F _sealctl sealctl
