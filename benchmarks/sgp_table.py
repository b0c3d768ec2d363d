"""Find a social golfer schedule g-4-w offline (how ``GOLFERS_6_4_6`` in makker/planner/construct.py was found).

A plain Dotú & Van Hentenryck (2005) tabu search: swap two players of one week,
at least one of them in a conflict (a pair that meets again); tabu tenure 4-14;
a few random swaps after 200 moves without a better schedule. Not used at run
time; makker keeps the schedules it finds as tables.

    python benchmarks/sgp_table.py 6 6 3 60     # 6 groups, 6 weeks, up to 3 seeds, 60 s each
    # 2026-11-28, idle 2-core machine: seed 0 stopped with 4 conflicts after 60 s; seed 1 found it in 47 s.
    # 6-4-7 (the 7th week n = 24 allows): seeds 0 and 1 stopped at 14 and 15 conflicts after 150 s each.
"""
import sys, random, time
def solve(g, w, seed, tlimit=120):
    n = 4*g; rng = random.Random(seed)
    weeks = []
    for _ in range(w):
        p = list(range(n)); rng.shuffle(p); weeks.append(p)  # position -> player, group = pos//4
    pos = [[0]*n for _ in range(w)]
    for t in range(w):
        for i,p in enumerate(weeks[t]): pos[t][p]=i
    M = [[0]*n for _ in range(n)]
    def add(t, sign):
        for gi in range(g):
            gr = weeks[t][4*gi:4*gi+4]
            for a in gr:
                for b in gr:
                    if a!=b: M[a][b]+=sign
    for t in range(w): add(t,1)
    def conf():
        return sum(max(0,M[a][b]-1) for a in range(n) for b in range(a+1,n))
    C = conf(); best=C; tabu={}; it=0; stall=0; t0=time.time()
    bestsol=None
    while C>0 and time.time()-t0<tlimit:
        it+=1
        cands=[]; bd=None
        for t in range(w):
            W=weeks[t]
            for i in range(n):
                a=W[i]; ga=i//4
                mates_a=[W[4*ga+k] for k in range(4) if 4*ga+k!=i]
                ca=sum(1 for m in mates_a if M[a][m]>1)
                if ca==0: continue
                for j in range(n):
                    gb=j//4
                    if gb==ga: continue
                    b=W[j]
                    mates_b=[W[4*gb+k] for k in range(4) if 4*gb+k!=j]
                    d=0
                    for m in mates_a:
                        d += (M[b][m]>=1) - (M[a][m]>=2)
                    for m in mates_b:
                        d += (M[a][m]>=1) - (M[b][m]>=2)
                    key=(t,min(a,b),max(a,b))
                    if tabu.get(key,0)>it and C+d>=best: continue
                    if bd is None or d<bd: bd=d; cands=[(t,i,j)]
                    elif d==bd: cands.append((t,i,j))
        if not cands: 
            continue
        t,i,j=rng.choice(cands)
        add(t,-1); W=weeks[t]; a,b=W[i],W[j]; W[i],W[j]=b,a; add(t,1)
        C+=bd
        tabu[(t,min(a,b),max(a,b))]=it+rng.randint(4,14)
        if C<best: best=C; stall=0; bestsol=[list(x) for x in weeks]
        else:
            stall+=1
            if stall>200:
                for _ in range(3):
                    t=rng.randrange(w); i,j=rng.sample(range(n),2)
                    add(t,-1); weeks[t][i],weeks[t][j]=weeks[t][j],weeks[t][i]; add(t,1)
                C=conf(); stall=0
    return C, it, time.time()-t0, weeks
if __name__=='__main__':
    g,w=int(sys.argv[1]),int(sys.argv[2])
    for seed in range(int(sys.argv[3]) if len(sys.argv)>3 else 5):
        C,it,sec,weeks=solve(g,w,seed, float(sys.argv[4]) if len(sys.argv)>4 else 120)
        print(g,w,seed,'conf',C,'it',it,'sec',round(sec,1),flush=True)
        if C==0:
            print([tuple(tuple(sorted(W[4*k:4*k+4])) for k in range(g)) for W in weeks]); break
