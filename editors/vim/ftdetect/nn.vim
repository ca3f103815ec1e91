autocmd BufRead,BufNewFile *.nn setfiletype nn
